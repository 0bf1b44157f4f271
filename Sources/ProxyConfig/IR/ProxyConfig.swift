/// One snapshot of the data plane's configuration: what the control plane sends and the proxy
/// serves. A proxy swaps whole snapshots; `version` names the snapshot in acknowledgements and logs.
///
/// Field names are camelCase like the Gateway API fields they carry, so the JSON/YAML form reads
/// like the resources it came from.
public struct ProxyConfig: Codable, Hashable, Sendable {
    /// The snapshot's version, opaque to the proxy (e.g. a hash or a counter).
    public var version: String
    /// One entry per bound address and port.
    public var listeners: [Listener]
    /// The upstream clusters that backend references name.
    public var backends: [Backend]
    /// Set for a sidecar's snapshot (`causeway proxy --mode sidecar`): capture ports, the mesh's
    /// Services and the inbound mTLS mode.
    public var sidecar: SidecarConfig?

    public init(version: String, listeners: [Listener] = [], backends: [Backend] = [], sidecar: SidecarConfig? = nil) {
        self.version = version
        self.listeners = listeners
        self.backends = backends
        self.sidecar = sidecar
    }

    enum CodingKeys: String, CodingKey { case version, listeners, backends, sidecar }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        listeners = try c.decode([Listener].self, forKey: .listeners, default: [])
        backends = try c.decode([Backend].self, forKey: .backends, default: [])
        sidecar = try c.decodeIfPresent(SidecarConfig.self, forKey: .sidecar)
    }
}

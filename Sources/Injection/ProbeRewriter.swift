import KubeModel

/// Sends the kubelet's HTTP and TCP probes of the app through the proxy's health port.
///
/// Why: the kubelet probes from the node, in plaintext, to the pod's address. Capture redirects
/// that connection to the proxy's inbound port, which under STRICT mTLS refuses plaintext, so the
/// probe would fail and the pod never become ready. Instead the kubelet asks the proxy
/// (`GET :15021/app-health/<container>/<kind>`, a port capture leaves alone) and the proxy runs
/// the original probe against the app on localhost; it finds the originals in its
/// `CAUSEWAY_APP_PROBES` environment variable. `exec` probes run inside the container and `grpc`
/// probes are left as they are; so are probes of ports that capture does not redirect, and
/// probes with an explicit `host` (they do not go to this pod).
struct ProbeRewriter {
    let options: PodMeshOptions
    /// `"<container>/<kind>"` → the original probe, as the proxy reads it.
    private(set) var originals: [String: JSONValue] = [:]

    static let kinds: [(field: String, kind: String)] = [
        ("readinessProbe", "readiness"), ("livenessProbe", "liveness"), ("startupProbe", "startup"),
    ]

    init(options: PodMeshOptions) { self.options = options }

    /// The container with its rewritable probes rewritten; other fields untouched.
    mutating func rewrite(_ container: JSONValue) -> JSONValue {
        guard let name = container["name"]?.stringValue else { return container }
        var result = container
        for (field, kind) in Self.kinds {
            guard var probe = container[field]?.objectValue else { continue }
            let path = "/app-health/\(name)/\(kind)"
            if let httpGet = probe["httpGet"]?.objectValue, Self.targetsPod(httpGet),
               let port = Self.resolve(httpGet["port"], in: container), options.capturesInbound(port) {
                originals["\(name)/\(kind)"] = [
                    "port": .int(port),
                    "path": httpGet["path"]?.stringValue.map(JSONValue.string) ?? "/",
                    "scheme": httpGet["scheme"]?.stringValue.map(JSONValue.string) ?? "HTTP",
                ]
                var rewritten: [String: JSONValue] = ["path": .string(path), "port": .int(MeshConventions.healthPort)]
                // The kubelet still sends the probe's headers; the proxy passes them on.
                if let headers = httpGet["httpHeaders"] { rewritten["httpHeaders"] = headers }
                probe["httpGet"] = .object(rewritten)
            } else if let tcpSocket = probe["tcpSocket"]?.objectValue, Self.targetsPod(tcpSocket),
                      let port = Self.resolve(tcpSocket["port"], in: container), options.capturesInbound(port) {
                originals["\(name)/\(kind)"] = ["port": .int(port), "tcp": true]
                probe["tcpSocket"] = nil
                probe["httpGet"] = ["path": .string(path), "port": .int(MeshConventions.healthPort)]
            } else {
                continue
            }
            result[field] = .object(probe)
        }
        return result
    }

    /// The `CAUSEWAY_APP_PROBES` value: a JSON object with sorted keys, so the same pod always
    /// gets the same bytes.
    var environmentValue: String? {
        originals.isEmpty ? nil : JSONValue.object(originals).jsonString
    }

    /// A probe without `host` (or with an empty one) goes to the pod's own address.
    private static func targetsPod(_ handler: [String: JSONValue]) -> Bool {
        handler["host"]?.stringValue.map(\.isEmpty) ?? true
    }

    /// A probe's port: a number, or the name of one of the container's ports. Nil when it cannot
    /// be resolved; the probe is then left for the kubelet to report, as it would without the mesh.
    static func resolve(_ port: JSONValue?, in container: JSONValue) -> Int64? {
        if let number = port?.intValue { return (1...65_535).contains(number) ? number : nil }
        guard let name = port?.stringValue else { return nil }
        let declared = (container["ports"]?.arrayValue ?? []).first { $0["name"]?.stringValue == name }
        if let number = declared?["containerPort"]?.intValue { return number }
        return PortSyntax.port(Substring(name))
    }
}

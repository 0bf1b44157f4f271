import ProxyConfig

/// Where the proxy's listeners bind when the process is told so, rather than on every address:
/// `causeway dev` runs all proxies in one network namespace, each bound to its own addresses,
/// and shifts low ports up when it cannot bind them.
public struct LocalBinding: Sendable, Hashable {
    /// Addresses to bind each listener on; empty keeps the configuration's.
    public var addresses: [String]
    /// Added to every listener port.
    public var portOffset: Int

    public init(addresses: [String] = [], portOffset: Int = 0) {
        self.addresses = addresses
        self.portOffset = portOffset
    }

    /// The configuration with each listener bound as asked: one listener per address.
    public func apply(to config: ProxyConfig) -> ProxyConfig {
        guard !addresses.isEmpty || portOffset != 0 else { return config }
        var copy = config
        copy.listeners = config.listeners.flatMap { listener -> [Listener] in
            // A sidecar's virtual listener names a Service's address; it binds nothing.
            guard listener.bind else { return [listener] }
            var shifted = listener
            shifted.port += portOffset
            guard !addresses.isEmpty else { return [shifted] }
            return addresses.map { address in
                var bound = shifted
                bound.address = address
                bound.name = addresses.count == 1 ? listener.name : "\(listener.name)@\(address)"
                return bound
            }
        }
        return copy
    }
}

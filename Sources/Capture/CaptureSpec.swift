/// What `causeway init` captures in a pod's network namespace: the mesh contract's ports and proxy
/// identity plus the exclusions the injector derives from pod annotations. Build one with
/// `CaptureArguments.spec()`, which validates; ports are sorted and unique so equal specs give
/// identical rules.
public struct CaptureSpec: Sendable, Hashable {
    /// Which inbound TCP ports are redirected to the proxy: every port, or only those listed
    /// (an empty list turns inbound capture off).
    public enum InboundPorts: Sendable, Hashable {
        case all
        case only([UInt16])
    }

    /// The proxy's own connections (this UID, or this GID) are never captured, or they would loop.
    public var proxyUID: UInt32 = 15337
    public var proxyGID: UInt32 = 15337
    public var outboundPort: UInt16 = 15001
    public var inboundPort: UInt16 = 15006
    public var inboundPorts: InboundPorts = .all
    public var excludeInboundPorts: [UInt16] = []
    public var excludeOutboundPorts: [UInt16] = []
    public var excludeOutboundCIDRs: [IPPrefix] = []

    public init() {}

    /// Whether any inbound port is captured.
    public var capturesInbound: Bool { inboundPorts != .only([]) }
}

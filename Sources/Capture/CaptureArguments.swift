/// `causeway init`'s flags as typed on the command line (the injector writes them from pod
/// annotations), turned into a `CaptureSpec` with errors that name the flag and the bad value.
public struct CaptureArguments: Sendable, Hashable {
    public var proxyUID: Int = 15337
    /// nil: the proxy's GID is its UID, as the mesh contract runs it.
    public var proxyGID: Int?
    public var outboundPort: Int = 15001
    public var inboundPort: Int = 15006
    /// Comma-separated lists; empty means none.
    public var excludeInboundPorts = ""
    public var excludeOutboundPorts = ""
    public var excludeOutboundCIDRs = ""
    /// `*` (every port), a comma-separated list, or empty (no inbound capture).
    public var includeInboundPorts = "*"

    public init() {}

    public func spec() throws(CaptureError) -> CaptureSpec {
        var spec = CaptureSpec()
        spec.proxyUID = try Self.id(proxyUID, flag: "--proxy-uid")
        spec.proxyGID = try proxyGID.map { value throws(CaptureError) in try Self.id(value, flag: "--proxy-gid") } ?? spec.proxyUID
        spec.outboundPort = try Self.port(outboundPort, flag: "--outbound-port")
        spec.inboundPort = try Self.port(inboundPort, flag: "--inbound-port")
        guard spec.outboundPort != spec.inboundPort else {
            throw CaptureError(.conflictingOptions, "--outbound-port and --inbound-port are both \(spec.outboundPort): the proxy "
                               + "tells outbound from inbound connections by the port they arrive on, so they must differ")
        }
        spec.excludeInboundPorts = try Self.ports(excludeInboundPorts, flag: "--exclude-inbound-ports")
        spec.excludeOutboundPorts = try Self.ports(excludeOutboundPorts, flag: "--exclude-outbound-ports")
        spec.excludeOutboundCIDRs = try Self.cidrs(excludeOutboundCIDRs, flag: "--exclude-outbound-cidrs")
        let include = includeInboundPorts.trimmingSpaces
        spec.inboundPorts = include == "*" ? .all : .only(try Self.ports(include, flag: "--include-inbound-ports"))
        return spec
    }

    /// A comma-separated port list, sorted and without duplicates; blanks around commas are allowed.
    public static func ports(_ text: String, flag: String) throws(CaptureError) -> [UInt16] {
        var result = Set<UInt16>()
        for item in items(text) {
            guard let value = Int(item), item.allSatisfy(\.isNumber) else {
                let hint = item == "*" ? " (`*` is accepted by --include-inbound-ports only)" : item.contains("-") || item.contains(":")
                    ? " (list ports one by one; ranges are not supported)" : ""
                throw CaptureError(.invalidPort, "\(flag): \"\(item)\" is not a port: expected numbers from 1 to 65535 separated by commas\(hint)")
            }
            result.insert(try port(value, flag: flag))
        }
        return result.sorted()
    }

    public static func port(_ value: Int, flag: String) throws(CaptureError) -> UInt16 {
        guard (1...65535).contains(value) else {
            throw CaptureError(.invalidPort, "\(flag): \(value) is not a port: expected a number from 1 to 65535")
        }
        return UInt16(value)
    }

    /// A comma-separated list of IPv4 and IPv6 CIDRs (a bare address is one host); duplicates dropped.
    public static func cidrs(_ text: String, flag: String) throws(CaptureError) -> [IPPrefix] {
        var result: [IPPrefix] = []
        for item in items(text) {
            guard let prefix = IPPrefix(item) else {
                throw CaptureError(.invalidCIDR, "\(flag): \"\(item)\" is not a CIDR: expected an IPv4 or IPv6 address with an optional "
                                   + "prefix length, such as 10.0.0.0/8 or fd00::/8, separated by commas")
            }
            if !result.contains(prefix) { result.append(prefix) }
        }
        return result
    }

    /// 4294967295 is (uid_t)-1, which the kernel reads as "no change", so it is no one's ID.
    static func id(_ value: Int, flag: String) throws(CaptureError) -> UInt32 {
        guard (0..<Int(UInt32.max)).contains(value) else {
            throw CaptureError(.invalidID, "\(flag): \(value) is not a user or group ID: expected a number from 0 to 4294967294")
        }
        return UInt32(value)
    }

    private static func items(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

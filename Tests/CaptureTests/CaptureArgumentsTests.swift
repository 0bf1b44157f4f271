import Capture
import Testing

/// `causeway init`'s flags: what is accepted, and the message for what is not (the injector's
/// annotations end up here, so the message names the flag and the value).
@Suite struct CaptureArgumentsTests {
    @Test func defaultsAreTheMeshContract() throws {
        let spec = try CaptureArguments().spec()
        #expect(spec.proxyUID == 15337 && spec.proxyGID == 15337)
        #expect(spec.outboundPort == 15001 && spec.inboundPort == 15006)
        #expect(spec.inboundPorts == .all)
        #expect(spec.excludeInboundPorts.isEmpty && spec.excludeOutboundPorts.isEmpty && spec.excludeOutboundCIDRs.isEmpty)
    }

    @Test func listsAreTrimmedSortedAndUnique() throws {
        var arguments = CaptureArguments()
        arguments.excludeInboundPorts = " 15021, 15000 ,15021,"
        arguments.excludeOutboundCIDRs = "10.0.0.0/8, 10.0.0.0/8,FD00::/8 ,192.168.1.7"
        arguments.includeInboundPorts = " * "
        let spec = try arguments.spec()
        #expect(spec.excludeInboundPorts == [15000, 15021])
        #expect(spec.excludeOutboundCIDRs.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.168.1.7/32"])
        #expect(spec.inboundPorts == .all)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable (inout CaptureArguments) -> Void
        var code: CaptureError.Code
        var message: String
        var testDescription: String { name }

        init(_ name: String, _ change: @escaping @Sendable (inout CaptureArguments) -> Void, _ code: CaptureError.Code, _ message: String) {
            (self.name, self.change, self.code, self.message) = (name, change, code, message)
        }
    }

    static let invalid: [Invalid] = [
        Invalid("port zero", { $0.excludeOutboundPorts = "0" }, .invalidPort,
         "--exclude-outbound-ports: 0 is not a port: expected a number from 1 to 65535"),
        Invalid("port too large", { $0.excludeInboundPorts = "15021,70000" }, .invalidPort,
         "--exclude-inbound-ports: 70000 is not a port: expected a number from 1 to 65535"),
        Invalid("not a number", { $0.excludeOutboundPorts = "http" }, .invalidPort,
         "--exclude-outbound-ports: \"http\" is not a port: expected numbers from 1 to 65535 separated by commas"),
        Invalid("a range", { $0.excludeOutboundPorts = "8000-8080" }, .invalidPort,
         "--exclude-outbound-ports: \"8000-8080\" is not a port: expected numbers from 1 to 65535 separated by commas (list ports one by one; ranges are not supported)"),
        Invalid("signed", { $0.includeInboundPorts = "+80" }, .invalidPort,
         "--include-inbound-ports: \"+80\" is not a port: expected numbers from 1 to 65535 separated by commas"),
        Invalid("a wildcard among ports", { $0.excludeInboundPorts = "*" }, .invalidPort,
         "--exclude-inbound-ports: \"*\" is not a port: expected numbers from 1 to 65535 separated by commas (`*` is accepted by --include-inbound-ports only)"),
        Invalid("outbound port", { $0.outboundPort = 0 }, .invalidPort, "--outbound-port: 0 is not a port: expected a number from 1 to 65535"),
        Invalid("same ports", { $0.inboundPort = 15001 }, .conflictingOptions,
         "--outbound-port and --inbound-port are both 15001: the proxy tells outbound from inbound connections by the port they arrive on, so they must differ"),
        Invalid("prefix too long", { $0.excludeOutboundCIDRs = "10.0.0.0/33" }, .invalidCIDR,
         "--exclude-outbound-cidrs: \"10.0.0.0/33\" is not a CIDR: expected an IPv4 or IPv6 address with an optional prefix length, such as 10.0.0.0/8 or fd00::/8, separated by commas"),
        Invalid("host name", { $0.excludeOutboundCIDRs = "example.com" }, .invalidCIDR,
         "--exclude-outbound-cidrs: \"example.com\" is not a CIDR: expected an IPv4 or IPv6 address with an optional prefix length, such as 10.0.0.0/8 or fd00::/8, separated by commas"),
        Invalid("negative uid", { $0.proxyUID = -1 }, .invalidID, "--proxy-uid: -1 is not a user or group ID: expected a number from 0 to 4294967294"),
        Invalid("gid of -1 as unsigned", { $0.proxyGID = 4_294_967_295 }, .invalidID,
         "--proxy-gid: 4294967295 is not a user or group ID: expected a number from 0 to 4294967294"),
    ]

    @Test(arguments: invalid)
    func invalidArgumentsAreRefusedWithTheFlagAndValue(_ invalid: Invalid) {
        var arguments = CaptureArguments()
        invalid.change(&arguments)
        #expect(throws: CaptureError(invalid.code, invalid.message)) { try arguments.spec() }
    }
}

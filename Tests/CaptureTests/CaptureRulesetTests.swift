import Capture
import Testing

/// The iptables-restore input `causeway init` writes, for representative specs, as whole text: a
/// change to the rules shows up here as a reviewable diff.
@Suite struct CaptureRulesetTests {
    /// What the injector passes for a pod with annotations for a database port and the cluster's
    /// service range.
    static func injectedSpec() throws -> CaptureSpec {
        var arguments = CaptureArguments()
        arguments.excludeInboundPorts = "15021,15000"
        arguments.excludeOutboundPorts = "5432"
        arguments.excludeOutboundCIDRs = "10.96.0.0/12,fd00:10:96::/112"
        return try arguments.spec()
    }

    @Test func ipv4WithExclusions() throws {
        let text = RestoreScript.apply(CaptureRuleset(try Self.injectedSpec(), family: .ipv4), over: .empty)
        #expect(text == """
            *nat
            :CAUSEWAY_OUTPUT - [0:0]
            :CAUSEWAY_INBOUND - [0:0]
            :CAUSEWAY_REDIRECT - [0:0]
            :CAUSEWAY_IN_REDIRECT - [0:0]
            -A CAUSEWAY_OUTPUT -o lo ! -d 127.0.0.0/8 -m owner --uid-owner 15337 -j CAUSEWAY_INBOUND
            -A CAUSEWAY_OUTPUT -o lo ! -d 127.0.0.0/8 -m owner --gid-owner 15337 -j CAUSEWAY_INBOUND
            -A CAUSEWAY_OUTPUT -m owner --uid-owner 15337 -j RETURN
            -A CAUSEWAY_OUTPUT -m owner --gid-owner 15337 -j RETURN
            -A CAUSEWAY_OUTPUT -o lo -j RETURN
            -A CAUSEWAY_OUTPUT -d 127.0.0.0/8 -j RETURN
            -A CAUSEWAY_OUTPUT -p tcp --dport 5432 -j RETURN
            -A CAUSEWAY_OUTPUT -d 10.96.0.0/12 -j RETURN
            -A CAUSEWAY_OUTPUT -j CAUSEWAY_REDIRECT
            -A CAUSEWAY_INBOUND -p tcp --dport 15000 -j RETURN
            -A CAUSEWAY_INBOUND -p tcp --dport 15021 -j RETURN
            -A CAUSEWAY_INBOUND -p tcp -j CAUSEWAY_IN_REDIRECT
            -A CAUSEWAY_REDIRECT -p tcp -j REDIRECT --to-ports 15001
            -A CAUSEWAY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
            -A PREROUTING -p tcp -j CAUSEWAY_INBOUND
            -A OUTPUT -p tcp -j CAUSEWAY_OUTPUT
            COMMIT

            """)
    }

    /// IPv6 gets ::1 as loopback and only the IPv6 CIDRs; the IPv4 ones would make ip6tables fail.
    @Test func ipv6WithExclusions() throws {
        let text = RestoreScript.apply(CaptureRuleset(try Self.injectedSpec(), family: .ipv6), over: .empty)
        #expect(text == """
            *nat
            :CAUSEWAY_OUTPUT - [0:0]
            :CAUSEWAY_INBOUND - [0:0]
            :CAUSEWAY_REDIRECT - [0:0]
            :CAUSEWAY_IN_REDIRECT - [0:0]
            -A CAUSEWAY_OUTPUT -o lo ! -d ::1/128 -m owner --uid-owner 15337 -j CAUSEWAY_INBOUND
            -A CAUSEWAY_OUTPUT -o lo ! -d ::1/128 -m owner --gid-owner 15337 -j CAUSEWAY_INBOUND
            -A CAUSEWAY_OUTPUT -m owner --uid-owner 15337 -j RETURN
            -A CAUSEWAY_OUTPUT -m owner --gid-owner 15337 -j RETURN
            -A CAUSEWAY_OUTPUT -o lo -j RETURN
            -A CAUSEWAY_OUTPUT -d ::1/128 -j RETURN
            -A CAUSEWAY_OUTPUT -p tcp --dport 5432 -j RETURN
            -A CAUSEWAY_OUTPUT -d fd00:10:96::/112 -j RETURN
            -A CAUSEWAY_OUTPUT -j CAUSEWAY_REDIRECT
            -A CAUSEWAY_INBOUND -p tcp --dport 15000 -j RETURN
            -A CAUSEWAY_INBOUND -p tcp --dport 15021 -j RETURN
            -A CAUSEWAY_INBOUND -p tcp -j CAUSEWAY_IN_REDIRECT
            -A CAUSEWAY_REDIRECT -p tcp -j REDIRECT --to-ports 15001
            -A CAUSEWAY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
            -A PREROUTING -p tcp -j CAUSEWAY_INBOUND
            -A OUTPUT -p tcp -j CAUSEWAY_OUTPUT
            COMMIT

            """)
    }

    /// An include list captures only its ports; a port both included and excluded stays excluded.
    /// Other ports and IDs come from the flags.
    @Test func includeListAndCustomIdentity() throws {
        var arguments = CaptureArguments()
        arguments.proxyUID = 1337
        arguments.proxyGID = 2000
        arguments.outboundPort = 16001
        arguments.inboundPort = 16006
        arguments.includeInboundPorts = "9080, 8080,9080,15021"
        arguments.excludeInboundPorts = "15021"
        let ruleset = CaptureRuleset(try arguments.spec(), family: .ipv4)
        #expect(ruleset.rules.filter { $0.chain == "CAUSEWAY_INBOUND" }.map(\.description) == [
            "-A CAUSEWAY_INBOUND -p tcp --dport 15021 -j RETURN",
            "-A CAUSEWAY_INBOUND -p tcp --dport 8080 -j CAUSEWAY_IN_REDIRECT",
            "-A CAUSEWAY_INBOUND -p tcp --dport 9080 -j CAUSEWAY_IN_REDIRECT",
        ])
        #expect(ruleset.rules.map(\.description).contains("-A CAUSEWAY_OUTPUT -m owner --uid-owner 1337 -j RETURN"))
        #expect(ruleset.rules.map(\.description).contains("-A CAUSEWAY_OUTPUT -m owner --gid-owner 2000 -j RETURN"))
        #expect(ruleset.rules.map(\.description).contains("-A CAUSEWAY_REDIRECT -p tcp -j REDIRECT --to-ports 16001"))
        #expect(ruleset.rules.map(\.description).contains("-A CAUSEWAY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 16006"))
    }

    /// `--include-inbound-ports ''`: no inbound chain and no PREROUTING jump; the proxy's calls to
    /// its own pod IP then have no inbound side to go to and simply leave uncaptured.
    @Test func inboundCaptureOff() throws {
        var arguments = CaptureArguments()
        arguments.includeInboundPorts = ""
        let ruleset = CaptureRuleset(try arguments.spec(), family: .ipv4)
        #expect(ruleset.chains == ["CAUSEWAY_OUTPUT", "CAUSEWAY_REDIRECT", "CAUSEWAY_IN_REDIRECT"])
        #expect(ruleset.jumps.map(\.description) == ["-A OUTPUT -p tcp -j CAUSEWAY_OUTPUT"])
        #expect(!ruleset.rules.contains { $0.arguments.contains("CAUSEWAY_INBOUND") })
    }

    /// Ordering is what makes the exclusions work: the proxy's own traffic and loopback return
    /// before anything can redirect, and the catch-all redirect is last.
    @Test func orderOfOutboundRules() throws {
        let output = CaptureRuleset(try Self.injectedSpec(), family: .ipv4).rules.filter { $0.chain == "CAUSEWAY_OUTPUT" }
        #expect(output.last?.arguments == ["-j", "CAUSEWAY_REDIRECT"])
        let firstReturnOfOthers = output.firstIndex { $0.arguments == ["-o", "lo", "-j", "RETURN"] }
        let ownerReturns = output.indices.filter { output[$0].arguments.contains("owner") && output[$0].arguments.last == "RETURN" }
        #expect(ownerReturns.allSatisfy { $0 < firstReturnOfOthers! })
    }
}

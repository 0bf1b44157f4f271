import Capture
import Testing

/// Choosing a backend, naming its programs, and the capability check's input.
@Suite struct CaptureBackendTests {
    @Test func programNames() {
        #expect(CaptureBackend.nft.program(.ipv4, .restore) == "iptables-nft-restore")
        #expect(CaptureBackend.legacy.program(.ipv6, .save) == "ip6tables-legacy-save")
        #expect(CaptureBackend.legacy.unsuffixedProgram(.ipv6, .restore) == "ip6tables-restore")
        #expect(CaptureBackend.nft.matchesVersion("iptables-restore v1.8.9 (nf_tables)"))
        #expect(!CaptureBackend.legacy.matchesVersion("iptables-restore v1.8.9 (nf_tables)"))
        #expect(CaptureBackend.legacy.matchesVersion("iptables-restore v1.6.1"))
    }

    @Test func autoPrefersTheBackendWithRulesElseNft() {
        #expect(CaptureBackend.choose([.init(.nft, works: true, rules: 0), .init(.legacy, works: true, rules: 0)])?.backend == .nft)
        #expect(CaptureBackend.choose([.init(.nft, works: true, rules: 2), .init(.legacy, works: true, rules: 40)])?.backend == .legacy)
        #expect(CaptureBackend.choose([.init(.nft, works: true, rules: 3), .init(.legacy, works: true, rules: 3)])?.backend == .nft)
        #expect(CaptureBackend.choose([.init(.nft, works: false, rules: 0), .init(.legacy, works: true, rules: 0)])?.backend == .legacy)
        // Rules in a backend whose restore does not work here do not count.
        #expect(CaptureBackend.choose([.init(.nft, works: true, rules: 0), .init(.legacy, works: false, rules: 9)])?.backend == .nft)
        #expect(CaptureBackend.choose([.init(.nft, works: false, rules: 0), .init(.legacy, works: false, rules: 0)]) == nil)
        #expect(CaptureBackend.choose([.init(.nft, works: true, rules: 0), .init(.legacy, works: true, rules: 5)])?.reason
                == "the namespace already uses it (nft 0 rules, legacy 5 rules)")
    }

    @Test func capabilities() {
        let root = "Name:\tbash\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
        let user = "Name:\tbash\nCapEff:\t0000000000000000\n"
        let netAdminOnly = "CapEff:\t0000000000001000\n"
        #expect(Capability.effective(procStatus: root).map(Capability.netAdmin.isIn) == true)
        #expect(Capability.effective(procStatus: user).map(Capability.netAdmin.isIn) == false)
        #expect(Capability.effective(procStatus: netAdminOnly).map(Capability.netAdmin.isIn) == true)
        #expect(Capability.effective(procStatus: netAdminOnly).map(Capability.netRaw.isIn) == false)
        #expect(Capability.effective(procStatus: "Name:\tx\n") == nil)
        #expect(CaptureBackend.legacy.capabilities == [.netAdmin, .netRaw])
    }

    @Test func programSearchIncludesSbinAndNamesTheFix() {
        #expect(ProgramSearch.candidates("iptables-nft-restore", path: "/usr/bin:/opt/bin::/usr/bin") == [
            "/usr/bin/iptables-nft-restore", "/opt/bin/iptables-nft-restore", "/usr/sbin/iptables-nft-restore",
            "/sbin/iptables-nft-restore", "/usr/local/sbin/iptables-nft-restore", "/bin/iptables-nft-restore",
        ])
        let error = ProgramSearch.missing(["ip6tables-nft-restore", "ip6tables-restore"], backend: .nft, family: .ipv6, path: "/usr/bin")
        #expect(error.code == .toolMissing)
        #expect(error.message == "ip6tables-nft-restore or ip6tables-restore not found (looked in PATH /usr/bin and /usr/sbin, /sbin, "
                + "/usr/local/sbin, /usr/bin, /bin): install the iptables package or choose --backend legacy, or pass --no-ipv6 if this pod has no IPv6")
    }
}

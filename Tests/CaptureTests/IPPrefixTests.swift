import Capture
import Testing

/// CIDRs are printed as iptables-save prints them, so what init writes reads back the same.
@Suite struct IPPrefixTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("10.1.2.3/8", "10.0.0.0/8"), ("192.168.1.7", "192.168.1.7/32"), ("0.0.0.0/0", "0.0.0.0/0"),
        ("172.16.0.0/12", "172.16.0.0/12"), ("::1", "::1/128"), ("::", "::/128"), ("fd00::/8", "fd00::/8"),
        ("FD00:0:0:0:0:0:0:1/64", "fd00::/64"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"),
        ("2001:0db8:0000:0000:0000:0000:0002:0001/128", "2001:db8::2:1/128"), ("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0/128"),
        ("::ffff:10.0.0.1", "::ffff:a00:1/128"), ("fd00:10:96::/112", "fd00:10:96::/112"), ("2001:db8::/33", "2001:db8::/33"),
    ])
    func parsesAndPrints(_ input: String, _ printed: String) {
        #expect(IPPrefix(input)?.description == printed)
    }

    @Test(arguments: [
        "", "10.0.0", "10.0.0.0.0", "256.0.0.0", "10.0.0.01", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/33", "10.0.0.0/8/8",
        "::1/129", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0", "g::", ":1", "1:", "example.com",
    ])
    func refuses(_ input: String) {
        #expect(IPPrefix(input) == nil)
    }

    @Test func family() {
        #expect(IPPrefix("10.0.0.0/8")?.family == .ipv4)
        #expect(IPPrefix("fd00::/8")?.family == .ipv6)
    }
}

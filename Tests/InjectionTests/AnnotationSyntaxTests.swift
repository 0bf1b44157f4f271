@testable import Injection
import Testing

/// The syntax checks behind the `causeway.dev/*` annotations.
@Suite struct AnnotationSyntaxTests {
    @Test(arguments: ["10.0.0.0/8", "0.0.0.0/0", "169.254.169.254/32", "fd00::/8", "::/0", "::1/128",
                      "2001:db8:0:0:0:0:0:1/64", "::ffff:10.0.0.0/104", "fe80::1:2/10", "1:2:3:4:5:6:1.2.3.4/96"])
    func validCIDRs(_ text: String) {
        #expect(CIDRSyntax.isValid(Substring(text)))
    }

    @Test(arguments: ["10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.256/8", "010.0.0.0/8", "fd00::/129", "fd00:::/8",
                      "1::2::3/64", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "12345::/16", "g::/8", "::ffff:10.0.0/104",
                      "10.0.0.0/-1", "10.0.0.0/", "/8", " 10.0.0.0/8", "10.0.0.0/8/8"])
    func invalidCIDRs(_ text: String) {
        #expect(!CIDRSyntax.isValid(Substring(text)))
    }

    @Test func quantities() {
        #expect(QuantitySyntax.value("100m") == 0.1)
        #expect(QuantitySyntax.value("2") == 2)
        #expect(QuantitySyntax.value("0.5") == 0.5)
        #expect(QuantitySyntax.value(".5") == 0.5)
        #expect(QuantitySyntax.value("64Mi") == 67_108_864.0)
        #expect(QuantitySyntax.value("1G") == 1e9)
        #expect(QuantitySyntax.value("1e3") == 1000)
        #expect(QuantitySyntax.value("1E") == 1e18)
        #expect(QuantitySyntax.value("+1k") == 1000)
        for bad in ["", "-1", "m", "1.2.3", "1 Mi", "1mi", "1MB", "1e", "1e+", "0x10", "1Ki2", "abc", "1.5.Gi"] {
            #expect(QuantitySyntax.value(bad) == nil, "\(bad)")
        }
    }

    @Test func portLists() throws {
        #expect(try PortSyntax.ports("8080").get() == [8080])
        #expect(try PortSyntax.ports("8080, 9090 ,8080").get() == [8080, 9090])
        for bad in ["0", "65536", "80,", "http", "-1", "80 81", "+80"] {
            #expect((try? PortSyntax.ports(bad).get()) == nil, "\(bad)")
        }
    }
}

import CEL
import Testing

@Suite struct ExtensionLibraryTests {
    @Test func lists() throws {
        #expect(try evaluate("[1, 2, 2].isSorted() && ![2, 1].isSorted()") == .bool(true))
        #expect(try evaluate("[1, 2, 3].sum()") == .int(6))
        #expect(try evaluate("[1.5, 2.5].sum()") == .double(4))
        #expect(try evaluate("[3, 1, 2].min()") == .int(1))
        #expect(try evaluate("['b', 'c', 'a'].max()") == .string("c"))
        #expect(try evaluationError("[].min()") == "min(list) called on empty list")
        #expect(try evaluate("[1, 2, 1].indexOf(1)") == .int(0))
        #expect(try evaluate("[1, 2, 1].lastIndexOf(1)") == .int(2))
        #expect(try evaluationError("[9223372036854775807, 1].sum()") == "integer overflow")
    }

    @Test func regex() throws {
        #expect(try evaluate("'abc 123 def 456'.find('[0-9]+')") == .string("123"))
        #expect(try evaluate("'abc 123 def 456'.findAll('[0-9]+')") == .list(["123", "456"]))
        #expect(try evaluate("'abc 123 def 456'.findAll('[0-9]+', 1)") == .list(["123"]))
        #expect(try evaluate("'xyz'.find('[0-9]+')") == .string(""))
    }

    @Test func urls() throws {
        #expect(try evaluate("isURL('https://user@example.com:8443/a%20b?x=1&x=2&y=z#frag')") == .bool(true))
        #expect(try evaluate("isURL('relative/path')") == .bool(false))
        #expect(try evaluate("url('https://example.com:8443/a%20b?x=1').getScheme()") == .string("https"))
        #expect(try evaluate("url('https://example.com:8443/a%20b?x=1').getHost()") == .string("example.com:8443"))
        #expect(try evaluate("url('https://[::1]:80/').getHostname()") == .string("::1"))
        #expect(try evaluate("url('https://[::1]:80/').getPort()") == .string("80"))
        #expect(try evaluate("url('https://example.com/a%20b').getEscapedPath()") == .string("/a%20b"))
        #expect(try evaluate("url('/api/v1?x=1&x=2&y=a+b').getQuery()['x'] == ['1', '2']") == .bool(true))
        #expect(try evaluate("url('/api/v1?x=1&x=2&y=a+b').getQuery()['y'] == ['a b']") == .bool(true))
    }

    @Test func ipAddresses() throws {
        #expect(try evaluate("isIP('10.0.0.1') && isIP('2001:db8::1') && !isIP('10.0.0.01') && !isIP('example.com')") == .bool(true))
        #expect(try evaluate("isIP('::ffff:10.0.0.1')") == .bool(false))
        #expect(try evaluate("isIP('fe80::1%eth0')") == .bool(false))
        #expect(try evaluate("ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1') && !ip.isCanonical('2001:db8:0::1')") == .bool(true))
        #expect(try evaluate("ip('10.0.0.1').family() == 4 && ip('::1').family() == 6") == .bool(true))
        #expect(try evaluate("ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()") == .bool(true))
        #expect(try evaluate("ip('0.0.0.0').isUnspecified() && ip('169.254.1.1').isLinkLocalUnicast()") == .bool(true))
        #expect(try evaluate("ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()") == .bool(true))
        #expect(try evaluate("ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()") == .bool(true))
        #expect(try evaluate("string(ip('2001:0db8:0000:0000:0000:0000:0000:0001'))") == .string("2001:db8::1"))
        #expect(try evaluationError("ip('nope')")?.hasPrefix("IP Address \"nope\" parse error during conversion from string") == true)
    }

    @Test func cidrs() throws {
        #expect(try evaluate("isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')") == .bool(true))
        #expect(try evaluate("cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))") == .bool(true))
        #expect(try evaluate("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')") == .bool(true))
        #expect(try evaluate("cidr('10.1.2.3/8').prefixLength()") == .int(8))
        #expect(try evaluate("string(cidr('10.1.2.3/8').masked())") == .string("10.0.0.0/8"))
        #expect(try evaluate("string(cidr('2001:db8::1/32').masked())") == .string("2001:db8::/32"))
        #expect(try evaluate("string(cidr('10.1.2.3/8').ip())") == .string("10.1.2.3"))
    }

    @Test func quantities() throws {
        #expect(try evaluate("isQuantity('100m') && isQuantity('1.5Gi') && isQuantity('1e3') && !isQuantity('1.5.Gi') && !isQuantity('Mi')") == .bool(true))
        #expect(try evaluate("quantity('1Ki').asInteger()") == .int(1024))
        #expect(try evaluate("quantity('1500m').isInteger()") == .bool(false))
        #expect(try evaluate("quantity('2000m').asInteger()") == .int(2))
        #expect(try evaluationError("quantity('1500m').asInteger()") == "cannot convert value to integer")
        #expect(try evaluate("quantity('1500m').asApproximateFloat()") == .double(1.5))
        #expect(try evaluate("quantity('1G').isGreaterThan(quantity('1Mi')) && quantity('1m').isLessThan(quantity('1'))") == .bool(true))
        #expect(try evaluate("quantity('1').add(quantity('500m')).compareTo(quantity('1.5'))") == .int(0))
        #expect(try evaluate("quantity('1').sub(2).sign()") == .int(-1))
        #expect(try evaluate("quantity('1').add(2) == quantity('3')") == .bool(true))
    }
}

@Suite struct StringFormatAndSetTests {
    @Test func format() throws {
        #expect(try evaluate("'%s has %d items (%.2f%%)'.format(['cart', dyn(3), dyn(12.346)])") == .string("cart has 3 items (12.35%)"))
        #expect(try evaluate("'%x %X %o %b'.format([255, 255, 8, 5])") == .string("ff FF 10 101"))
        #expect(try evaluate("'%e'.format([1234.5])") == .string("1.234500e+03"))
        #expect(try evaluate("'%e'.format([1.0 / 0.0])") == .string("Infinity"))
        #expect(try evaluate("'%s'.format([[dyn(1), 'a']])") == .string("[1, a]"))
        #expect(try evaluationError("'%d'.format(['x'])")?.contains("decimal clause can only be used on integers") == true)
        #expect(try evaluationError("'%s %s'.format(['x'])") == "index 1 out of range")
    }

    @Test func sets() throws {
        #expect(try evaluate("sets.contains([1, 2, 3], [3, 1])") == .bool(true))
        #expect(try evaluate("sets.contains([1, 2], [4])") == .bool(false))
        #expect(try evaluate("sets.equivalent([1, 2, 2], [2, 1])") == .bool(true))
        #expect(try evaluate("sets.intersects([1, 2], [3, 2])") == .bool(true))
        #expect(try evaluate("sets.intersects([1], [])") == .bool(false))
    }

    @Test func literalsAreHomogeneous() {
        #expect(compileError("[1, 'a']") == "ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a']\n | ....^")
        #expect(compileError("{'a': 1, 'b': true}")?.contains("expected type 'int' but found 'bool'") == true)
        #expect(compileError("[1, dyn('a')]") == nil)
    }
}

import CEL
import Testing

@Suite struct ParserTests {
    @Test func precedenceFollowsTheGrammar() throws {
        #expect(try evaluate("1 + 2 * 3") == .int(7))
        #expect(try evaluate("(1 + 2) * 3") == .int(9))
        #expect(try evaluate("10 - 4 - 3") == .int(3))
        #expect(try evaluate("true || false && false") == .bool(true))
        #expect(try evaluate("1 < 2 == true") == .bool(true))
        #expect(try evaluate("!true ? 1 : 2") == .int(2))
        #expect(try evaluate("false ? 1 : true ? 2 : 3") == .int(2))
        #expect(try evaluate("-(-3)") == .int(3))
        #expect(try evaluate("!!true") == .bool(true))
    }

    @Test func numericLiterals() throws {
        #expect(try evaluate("0x1F") == .int(31))
        #expect(try evaluate("7u") == .uint(7))
        #expect(try evaluate("0xFFu") == .uint(255))
        #expect(try evaluate("1.5e2") == .double(150))
        #expect(try evaluate(".5") == .double(0.5))
        #expect(try evaluate("-9223372036854775808") == .int(Int64.min))
        #expect(compileError("9223372036854775808") != nil)
    }

    @Test func stringLiterals() throws {
        #expect(try evaluate(#"'a\nb'"#) == .string("a\nb"))
        #expect(try evaluate(#""\u00e9\x41\101""#) == .string("éAA"))
        #expect(try evaluate(#"r'\d+'"#) == .string(#"\d+"#))
        #expect(try evaluate(#"R"\n""#) == .string(#"\n"#))
        #expect(try evaluate("'''multi\nline'''") == .string("multi\nline"))
        #expect(try evaluate(#"r"""a"b""""#) == .string(#"a"b"#))
        #expect(try evaluate("b'abc'") == .bytes([97, 98, 99]))
        #expect(try evaluate(#"b'\xff'"#) == .bytes([255]))
    }

    @Test func listAndMapLiterals() throws {
        #expect(try evaluate("[1, 2, 3][1]") == .int(2))
        #expect(try evaluate("{'a': 1, 'b': 2}['b']") == .int(2))
        #expect(try evaluate("{'a': {'b': [true]}}.a.b[0]") == .bool(true))
        #expect(try evaluate("[1, 2,].size()") == .int(2))
        #expect(try evaluate("{}.size()") == .int(0))
    }

    @Test func optionalSyntax() throws {
        #expect(try evaluate("{'a': 1}.?a.orValue(0)") == .int(1))
        #expect(try evaluate("{'a': 1}.?b.orValue(0)") == .int(0))
        #expect(try evaluate("{'a': {'b': 2}}.?a.b.orValue(0)") == .int(2))
        #expect(try evaluate("{'a': 1}[?'b'].hasValue()") == .bool(false))
        #expect(try evaluate("[1, 2][?5].orValue(9)") == .int(9))
        #expect(try evaluate("{'a': [7]}.?a[?0].orValue(0)") == .int(7))
        #expect(try evaluate("{'a': [7]}.?b[?0].hasValue()") == .bool(false))
        #expect(try evaluate("[?optional.none(), ?optional.of(1)]") == .list([1]))
        #expect(try evaluate("{?'a': optional.none(), 'b': 2}.size()") == .int(1))
        #expect(try evaluate("optional.ofNonZeroValue('').hasValue()") == .bool(false))
    }

    @Test func syntaxErrorsPointAtTheProblem() {
        let error = compileError("1 +")
        #expect(error?.hasPrefix("ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>'") == true)
        #expect(error?.hasSuffix("\n | 1 +\n | ...^") == true)
        #expect(compileError("self.") != nil)
        #expect(compileError("'unterminated") != nil)
        #expect(compileError("has(1)")?.contains("invalid argument to has() macro") == true)
        #expect(compileError("a.all(1, true)", variables: ["a": .list(.int)])?.contains("argument must be a simple name") == true)
        #expect(compileError("if")?.contains("reserved identifier: if") == true)
    }

    @Test func commentsAndWhitespace() throws {
        #expect(try evaluate("1 + // one\n 2") == .int(3))
    }
}

@Suite struct ParserLimitTests {
    @Test func deepNestingIsRefusedNotCrashed() {
        let chain = Array(repeating: "1", count: 400).joined(separator: " + ")
        #expect(compileError(chain)?.contains("expression recursion limit exceeded: 250") == true)
        #expect(compileError(String(repeating: "!", count: 5000) + "true")?.contains("expression recursion limit exceeded") == true)
        #expect(compileError(String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000))?.contains("recursion limit") == true)
        #expect(compileError("'" + String(repeating: "a", count: 100_001) + "'")?.contains("expression code point size exceeds limit") == true)
        #expect(compileError(String(repeating: ".", count: 50_000) + "x") != nil)
        #expect(compileError(Array(repeating: "1", count: 100).joined(separator: " + ")) == nil)
    }
}

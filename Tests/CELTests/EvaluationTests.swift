import CEL
import KubeModel
import Testing

@Suite struct EvaluationTests {
    @Test func integerArithmeticErrorsInsteadOfWrapping() throws {
        #expect(try evaluationError("9223372036854775807 + 1") == "integer overflow")
        #expect(try evaluationError("-9223372036854775808 - 1") == "integer overflow")
        #expect(try evaluationError("-9223372036854775808 / -1") == "integer overflow")
        #expect(try evaluationError("1 / 0") == "division by zero")
        #expect(try evaluationError("1 % 0") == "modulus by zero")
        #expect(try evaluationError("0u - 1u") == "unsigned integer overflow")
        #expect(try evaluate("7 / 2") == .int(3))
        #expect(try evaluate("-7 % 3") == .int(-1))
        #expect(try evaluate("1.0 / 0.0") == .double(.infinity))
    }

    @Test func numbersDoNotMixInArithmeticButCompareAcrossTypes() throws {
        #expect(compileError("1 + 1.0")?.contains("found no matching overload for '_+_' applied to '(int, double)'") == true)
        #expect(compileError("1 == 1.0")?.contains("found no matching overload for '_==_' applied to '(int, double)'") == true)
        #expect(try evaluate("1 < 1.5") == .bool(true))
        #expect(try evaluate("2u > 1") == .bool(true))
        #expect(try evaluate("dyn(1) == 1.0") == .bool(true))
        #expect(try evaluate("dyn(1) == 1u") == .bool(true))
        #expect(try evaluate("dyn('1') == 1") == .bool(false))
        #expect(try evaluate("[1, 2] == [1, 2]") == .bool(true))
        #expect(try evaluate("{'a': 1} == {'a': 1}") == .bool(true))
        #expect(try evaluate("1 in [dyn(1.0)]") == .bool(true))
    }

    @Test func logicalOperatorsAbsorbErrors() throws {
        #expect(try evaluate("false && 1 / 0 == 1") == .bool(false))
        #expect(try evaluate("1 / 0 == 1 && false") == .bool(false))
        #expect(try evaluate("1 / 0 == 1 || true") == .bool(true))
        #expect(try evaluationError("1 / 0 == 1 || false") == "division by zero")
        #expect(try evaluationError("true && 1 / 0 == 1") == "division by zero")
    }

    @Test func macros() throws {
        #expect(try evaluate("[1, 2, 3].all(x, x > 0)") == .bool(true))
        #expect(try evaluate("[1, 2, 3].exists(x, x == 2)") == .bool(true))
        #expect(try evaluate("[1, 2, 2].exists_one(x, x == 2)") == .bool(false))
        #expect(try evaluate("[1, 2, 3].map(x, x * 2)") == .list([2, 4, 6]))
        #expect(try evaluate("[1, 2, 3].map(x, x > 1, x * 10)") == .list([20, 30]))
        #expect(try evaluate("[1, 2, 3].filter(x, x != 2)") == .list([1, 3]))
        #expect(try evaluate("{'a': 1, 'b': 2}.all(k, k.size() == 1)") == .bool(true))
        #expect(try evaluate("{'a': 1, 'b': 2}.filter(k, k == 'b')") == .list(["b"]))
        // An error in one element does not matter when another decides the result.
        #expect(try evaluate("[0, 1].exists(x, 1 / x == 1)") == .bool(true))
        #expect(try evaluate("[0, 1].all(x, 1 / x == 5)") == .bool(false))
        #expect(try evaluationError("[0, 1].all(x, 1 / x == 1)") == "division by zero")
    }

    @Test func runtimeErrorsAreErrorsNotFalse() throws {
        let object: JSONValue = ["a": 1]
        #expect(try evaluationError("self.b == 1", self: object) == "no such key: b")
        #expect(try evaluationError("self['b'] == 1", self: object) == "no such key: b")
        #expect(try evaluationError("[1][3] == 1") == "index '3' out of range in list size '1'")
        #expect(try evaluationError("dyn('a') + 1 == 2")?.hasPrefix("no such overload") == true)
        #expect(try evaluate("has(self.a) && !has(self.b)", self: object) == .bool(true))
    }

    @Test func stringFunctions() throws {
        #expect(try evaluate("'hello'.startsWith('he') && 'hello'.endsWith('lo') && 'hello'.contains('ell')") == .bool(true))
        #expect(try evaluate("'HeLLo'.lowerAscii()") == .string("hello"))
        #expect(try evaluate("'héllo'.upperAscii()") == .string("HéLLO"))
        #expect(try evaluate("'a/b/c'.split('/')") == .list(["a", "b", "c"]))
        #expect(try evaluate("'a/b/c'.split('/', 2)") == .list(["a", "b/c"]))
        #expect(try evaluate("['a', 'b'].join('-')") == .string("a-b"))
        #expect(try evaluate("['a', 'b'].join()") == .string("ab"))
        #expect(try evaluate("'aaa'.replace('a', 'b', 2)") == .string("bba"))
        #expect(try evaluate("'héllo'.substring(1, 3)") == .string("él"))
        #expect(try evaluate("'héllo'.substring(2)") == .string("llo"))
        #expect(try evaluationError("'abc'.substring(4)") == "index out of range: 4")
        #expect(try evaluate("'héllo'.indexOf('l')") == .int(2))
        #expect(try evaluate("'héllo'.lastIndexOf('l')") == .int(3))
        #expect(try evaluate("'hello'.indexOf('l', 3)") == .int(3))
        #expect(try evaluate("'  x \\t'.trim()") == .string("x"))
        #expect(try evaluate("'héllo'.charAt(1)") == .string("é"))
        #expect(try evaluate("size('héllo')") == .int(5))
        #expect(try evaluate("'abc'.matches('^[a-c]+$')") == .bool(true))
        #expect(try evaluate("matches('abc', 'd')") == .bool(false))
        #expect(try evaluate("'a' + 'b' < 'b'") == .bool(true))
    }

    @Test func conversions() throws {
        #expect(try evaluate("int('42')") == .int(42))
        #expect(try evaluationError("int('x')") == #"strconv.ParseInt: parsing "x": invalid syntax"#)
        #expect(try evaluate("int(3.9)") == .int(3))
        #expect(try evaluate("uint(3)") == .uint(3))
        #expect(try evaluationError("uint(-1)") == "unsigned integer overflow")
        #expect(try evaluate("double(2)") == .double(2))
        #expect(try evaluate("string(1.5)") == .string("1.5"))
        #expect(try evaluate("string(1000000.0)") == .string("1e+06"))
        #expect(try evaluate("string(true)") == .string("true"))
        #expect(try evaluate("string(b'hi')") == .string("hi"))
        #expect(try evaluate("bytes('hi')") == .bytes([104, 105]))
        #expect(try evaluate("type(1) == int && type('a') == string") == .bool(true))
        #expect(try evaluate("duration('1h30m') == duration('90m')") == .bool(true))
        #expect(try evaluate("string(duration('1.5s'))") == .string("1.5s"))
        #expect(try evaluate("timestamp('2024-01-02T03:04:05Z') + duration('1h') == timestamp('2024-01-02T04:04:05Z')") == .bool(true))
        #expect(try evaluate("timestamp('2024-01-02T03:04:05.5+01:00').getHours()") == .int(2))
        #expect(try evaluate("timestamp('2024-03-01T00:00:00Z') - timestamp('2024-02-28T00:00:00Z') == duration('48h')") == .bool(true))
        #expect(try evaluate("string(timestamp('2024-01-02T03:04:05.120Z'))") == .string("2024-01-02T03:04:05.12Z"))
        #expect(try evaluationError("duration(dyn('1x')) > duration('1s')") == "type conversion error from 'string' to 'google.protobuf.Duration'")
    }

    @Test func schemaFormatsBecomeCELTypes() throws {
        let type = CELType.object(ObjectType(name: "object", fields: ["at": .timestamp, "every": .duration, "data": .bytes, "ratio": .double]))
        let object: JSONValue = ["at": "2024-01-02T03:04:05Z", "every": "5m", "data": "aGk=", "ratio": 1]
        #expect(try evaluate("self.at.getFullYear() == 2024 && self.every == duration('300s')", self: object, type: type) == .bool(true))
        #expect(try evaluate("self.data == b'hi' && self.ratio == 1.0", self: object, type: type) == .bool(true))
    }
}

@Suite struct StepBudgetTests {
    @Test func runawayEvaluationIsCancelled() throws {
        let program = try CELProgram("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(b, a * b > 0))", variables: [:])
        #expect(try program.evaluate([:]) == .bool(true))
        #expect(throws: CELError.costLimitExceeded) { try program.evaluate([:], stepLimit: 100) }
        // A decisive operand does not hide the cancellation.
        let absorbing = try CELProgram("[1, 2, 3].all(x, x > 0) && false", variables: [:])
        #expect(throws: CELError.costLimitExceeded) { try absorbing.evaluate([:], stepLimit: 5) }
    }
}

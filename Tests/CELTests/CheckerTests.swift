import CEL
import Testing

@Suite struct CheckerTests {
    private let spec = CELType.object(ObjectType(name: "object", fields: ["replicas": .int, "name": .string, "tags": .list(.string)]))

    @Test func undefinedFieldIsReportedWithCelGoWording() {
        let error = compileError("self.foo == 1", variables: ["self": spec])
        #expect(error == "ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^")
    }

    @Test func undeclaredReference() {
        #expect(compileError("other > 1", variables: ["self": spec]) == "ERROR: <input>:1:1: undeclared reference to 'other' (in container '')\n | other > 1\n | ^")
    }

    @Test func noMatchingOverload() {
        #expect(compileError("self.name + 1", variables: ["self": spec])?
            .hasPrefix("ERROR: <input>:1:11: found no matching overload for '_+_' applied to '(string, int)'") == true)
        #expect(compileError("self.name.contains(1)", variables: ["self": spec])?
            .contains("found no matching overload for 'contains' applied to 'string.(int)'") == true)
        #expect(compileError("self.tags.all(t, t)", variables: ["self": spec])?.contains("expected type 'bool' but found 'string'") == true)
        #expect(compileError("self.replicas.all(t, true)", variables: ["self": spec])?
            .contains("expression of type 'int' cannot be the range of a comprehension") == true)
    }

    @Test func inferredResultTypes() throws {
        #expect(try CELProgram("self.replicas > 1", variables: ["self": spec]).resultType == .bool)
        #expect(try CELProgram("self.tags.map(t, t.size())", variables: ["self": spec]).resultType == .list(.int))
        #expect(try CELProgram("self.name", variables: ["self": spec]).resultType == .string)
        #expect(try CELProgram("self.?name", variables: ["self": spec]).resultType == .optional(.string))
        #expect(try CELProgram("dyn(self).anything", variables: ["self": spec]).resultType == .dyn)
    }

    @Test func transitionRulesAreRecognised() throws {
        #expect(try CELProgram("self == oldSelf", variables: ["self": .string, "oldSelf": .string]).references("oldSelf"))
        #expect(try !CELProgram("[1].all(oldSelf, oldSelf > 0)", variables: ["oldSelf": .string]).references("oldSelf"))
    }
}

@Suite struct CheckerLocationTests {
    @Test func callsArePlacedAtTheirParenthesis() {
        #expect(compileError("'a'.contains(1)") == "ERROR: <input>:1:13: found no matching overload for 'contains' applied to 'string.(int)'\n | 'a'.contains(1)\n | ............^")
        #expect(compileError("size(1)") == "ERROR: <input>:1:5: found no matching overload for 'size' applied to '(int)'\n | size(1)\n | ....^")
    }
}

@Suite struct LiteralValidationTests {
    @Test func unreadableLiteralsAreCompileErrors() {
        #expect(compileError("duration('5 minutes') > duration('1s')") == "ERROR: <input>:1:10: invalid duration argument\n | duration('5 minutes') > duration('1s')\n | .........^")
        #expect(compileError("timestamp('yesterday') > timestamp('2024-01-01T00:00:00Z')")?.contains("invalid timestamp argument") == true)
        #expect(compileError("'a'.matches('[')")?.contains("invalid matches argument") == true)
        #expect(compileError("'a'.findAll('(')")?.contains("invalid findAll argument") == true)
        #expect(compileError("'a'.matches('^[a-z]+$') && duration('1h') > duration('1m')") == nil)
    }
}

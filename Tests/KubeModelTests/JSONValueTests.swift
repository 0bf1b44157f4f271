import Testing
import KubeModel

@Suite struct JSONValueTests {
    @Test func roundTripsNestedDocument() throws {
        let text = #"{"b":[1,2.5,true,null,"x\n\"y\""],"a":{"c":-3,"d":1e3}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["b"]?.arrayValue?.count == 5)
        #expect(value[path: ["a", "c"]] == .int(-3))
        #expect(value[path: ["a", "d"]] == .double(1000))
        #expect(value.jsonString == #"{"a":{"c":-3,"d":1000},"b":[1,2.5,true,null,"x\n\"y\""]}"#)
        #expect(try JSONValue(parsing: value.jsonString) == value)
    }

    @Test func keepsIntegersApartFromFractions() throws {
        #expect(try JSONValue(parsing: "3") == .int(3))
        #expect(try JSONValue(parsing: "3.0").typeName == "number")
        #expect(JSONValue.int(3) == JSONValue.double(3.0))
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(Int64.max))
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""\u00e9\ud83d\ude00""#) == .string("é😀"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "1 2", "\"\u{01}\"", "\"\\ud800\""])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func setsNestedPaths() {
        var value: JSONValue = [:]
        value[path: ["metadata", "labels", "app"]] = "web"
        #expect(value.jsonString == #"{"metadata":{"labels":{"app":"web"}}}"#)
        value[path: ["metadata", "labels", "app"]] = nil
        #expect(value.jsonString == #"{"metadata":{"labels":{}}}"#)
    }
}

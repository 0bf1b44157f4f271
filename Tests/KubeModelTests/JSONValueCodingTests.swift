import KubeModel
import Testing

/// `JSONValueDecoder` / `JSONValueEncoder` read and write typed values straight from and to
/// `JSONValue`, with `JSONDecoder`'s rules for optionals and nulls.
@Suite struct JSONValueCodingTests {
    struct Sample: Codable, Equatable {
        var name: String
        var count: Int32
        var ratio: Double
        var enabled: Bool?
        var tags: [String]
        var labels: [String: String]?
        var nested: Nested?
        var raw: JSONValue?
    }

    struct Nested: Codable, Equatable {
        var values: [Int64]
    }

    @Test func decodesAndEncodesTheSameTree() throws {
        let json: JSONValue = [
            "name": "a", "count": 3, "ratio": 1.5, "tags": ["x", "y"], "labels": ["k": "v"],
            "nested": ["values": [1, 2]], "raw": ["anything": [true, nil]],
        ]
        let sample = try JSONValueDecoder().decode(Sample.self, from: json)
        #expect(sample == Sample(name: "a", count: 3, ratio: 1.5, enabled: nil, tags: ["x", "y"], labels: ["k": "v"],
                                 nested: Nested(values: [1, 2]), raw: ["anything": [true, nil]]))
        #expect(try JSONValueEncoder().encode(sample) == json)
    }

    @Test func integralDoublesDecodeAsIntegersAndNullIsAbsent() throws {
        let json: JSONValue = ["name": "a", "count": 3.0, "ratio": 2, "tags": [], "enabled": nil]
        let sample = try JSONValueDecoder().decode(Sample.self, from: json)
        #expect(sample.count == 3 && sample.ratio == 2 && sample.enabled == nil)
    }

    @Test func mismatchesSayWhere() throws {
        let json: JSONValue = ["name": "a", "count": "three", "ratio": 1, "tags": []]
        #expect {
            _ = try JSONValueDecoder().decode(Sample.self, from: json)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["count"]
        }
        let overflow: JSONValue = ["name": "a", "count": 5_000_000_000, "ratio": 1, "tags": []]
        #expect(throws: DecodingError.self) { _ = try JSONValueDecoder().decode(Sample.self, from: overflow) }
        #expect(throws: DecodingError.self) { _ = try JSONValueDecoder().decode(Sample.self, from: ["count": 1]) }
    }
}

import Testing
import KubeModel
@testable import APIMachinery

@Suite struct PrinterColumnTests {
    let object = json(#"""
        {"metadata":{"creationTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"replicas":3,"ratio":1.5,"paused":false,"selector":{"app":"w"}},
         "status":{"conditions":[{"type":"Ready","status":"True"}]}}
        """#)

    @Test(arguments: [
        ("Replicas", "integer", ".spec.replicas", JSONValue.int(3)),
        ("Ratio", "integer", ".spec.ratio", .int(1)),
        ("Ratio", "number", ".spec.replicas", .double(3)),
        ("Paused", "boolean", ".spec.paused", .bool(false)),
        ("Ready", "string", #".status.conditions[?(@.type=="Ready")].status"#, .string("True")),
        ("Selector", "string", ".spec.selector", .string("map[app:w]")),
        ("Replicas", "string", ".spec.replicas", .string("3")),
        ("Missing", "string", ".spec.nothing", .null),
        ("Mismatch", "boolean", ".spec.replicas", .null),
        ("Age", "date", ".metadata.creationTimestamp", .string("3d4h")),
    ])
    func cells(name: String, type: String, path: String, expected: JSONValue) throws {
        let column = try PrinterColumn(name: name, type: type, jsonPath: path)
        #expect(column.cell(for: object, now: "2026-01-04T04:00:30Z") == expected)
    }

    @Test func rejectsBadPaths() {
        #expect(throws: SchemaError("unrecognized column definition \".spec[\"")) {
            try PrinterColumn(name: "x", type: "string", jsonPath: ".spec[")
        }
    }

    @Test(arguments: [
        (-5.0, "<invalid>"), (-1.0, "0s"), (0.0, "0s"), (59.0, "59s"), (119.0, "119s"), (120.0, "2m"), (150.0, "2m30s"),
        (600.0, "10m"), (10_799.0, "179m"), (10_800.0, "3h"), (11_100.0, "3h5m"), (28_800.0, "8h"), (172_800.0, "2d"),
        (190_800.0, "2d5h"), (691_200.0, "8d"), (63_072_000.0, "2y"), (64_000_000.0, "2y10d"), (252_288_000.0, "8y"),
    ])
    func humanDurations(seconds: Double, expected: String) {
        #expect(PrinterColumn.humanDuration(seconds: seconds) == expected)
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0), ("2026-01-01T00:00:00Z", 1_767_225_600.0), ("2026-01-01T01:00:00+01:00", 1_767_225_600.0),
        ("2000-02-29T12:30:45.5Z", 951_827_445.5),
    ])
    func timestamps(text: String, seconds: Double) {
        #expect(RFC3339.secondsSinceEpoch(text) == seconds)
    }

    @Test(arguments: ["", "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z"])
    func rejectsNonTimestamps(text: String) {
        #expect(RFC3339.secondsSinceEpoch(text) == nil)
    }
}

import KubeModel
@testable import KubeClient
import Testing

@Suite("Watch event decoding")
struct WatchEventDecoderTests {
    static let stream = """
        {"type":"ADDED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"5"}}}
        {"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"6"},"data":{"k":"é\\n"}}}
        {"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}
        {"type":"DELETED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"10"}}}
        {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410,"message":"too old resource version: 1 (5)"}}

        """

    @Test("every split of the stream into two chunks yields the same events")
    func splitAnywhere() throws {
        let bytes = Array(Self.stream.utf8)
        var whole = WatchEventDecoder()
        let expected = try whole.feed(bytes) + whole.finish()
        #expect(expected.map(\.type) == [.added, .modified, .bookmark, .deleted, .error])
        #expect(expected[1].object[path: ["data", "k"]] == "é\n")
        for cut in 0...bytes.count {
            var decoder = WatchEventDecoder()
            let events = try decoder.feed(Array(bytes[..<cut])) + decoder.feed(Array(bytes[cut...])) + decoder.finish()
            #expect(events == expected, "split at \(cut)")
        }
    }

    @Test("byte-at-a-time delivery works, and a last line without newline counts")
    func byteAtATime() throws {
        var decoder = WatchEventDecoder()
        var events: [WatchEvent] = []
        for byte in Self.stream.utf8.dropLast() { events += try decoder.feed([byte]) }
        events += try decoder.finish()
        #expect(events.count == 5)
    }

    @Test("garbage is an error, not a silent skip")
    func garbage() {
        var decoder = WatchEventDecoder()
        #expect(throws: KubeClientError.self) { _ = try decoder.feed(Array("not json\n".utf8)) }
        var unknown = WatchEventDecoder()
        #expect(throws: KubeClientError.self) { _ = try unknown.feed(Array(#"{"type":"WHAT","object":{}}"#.utf8) + [0x0A]) }
    }

    @Test("an ERROR event with code 410 becomes a Gone error")
    func goneEvent() throws {
        var decoder = WatchEventDecoder()
        let events = try decoder.feed(Array(Self.stream.utf8))
        let error = Reflector.error(fromWatchStatus: events[4].object)
        #expect(error.code == .gone)
        #expect(error.httpStatus == 410)
    }
}

@Suite("List decoding item by item")
struct ListDecoderTests {
    @Test("items, metadata and tricky strings are found; items get apiVersion/kind and the transform")
    func decode() throws {
        let body = """
            { "kind" : "ConfigMapList", "apiVersion":"v1",
              "metadata":{"resourceVersion":"42","continue":"abc","remainingItemCount":3},
              "items":[
                {"metadata":{"name":"a","managedFields":[{"manager":"x"}]},"data":{"k":"has \\"quotes\\", ] and } and [ {"}},
                {"metadata":{"name":"b"},"data":{"n":[1,2,{"x":null}],"t":true,"f":-1.5e3}}
              ] }
            """
        let list = try ListDecoder.decode(Array(body.utf8), descriptor: .configMaps, transform: .stripManagedFields)
        #expect(list.resourceVersion == "42")
        #expect(list.continueToken == "abc")
        #expect(list.remainingItemCount == 3)
        #expect(list.items.count == 2)
        #expect(list.items[0][path: ["data", "k"]] == #"has "quotes", ] and } and [ {"#)
        #expect(list.items[0][path: ["metadata", "managedFields"]] == nil)
        #expect(list.items.allSatisfy { $0["apiVersion"] == "v1" && $0["kind"] == "ConfigMap" })
        #expect(list.items[1][path: ["data", "n"]] == [1, 2, ["x": nil]])
    }

    @Test("empty and null item lists, and broken input")
    func edges() throws {
        #expect(try ListDecoder.decode(Array(#"{"metadata":{"resourceVersion":"1"},"items":[]}"#.utf8), descriptor: .configMaps, transform: .identity).items.isEmpty)
        #expect(try ListDecoder.decode(Array(#"{"metadata":{"resourceVersion":"1"},"items":null}"#.utf8), descriptor: .configMaps, transform: .identity).items.isEmpty)
        #expect(throws: (any Error).self) { _ = try ListDecoder.decode(Array(#"{"items":[{"a":1},"#.utf8), descriptor: .configMaps, transform: .identity) }
        #expect(throws: (any Error).self) { _ = try ListDecoder.decode(Array(#"{"items":[{"a":}]}"#.utf8), descriptor: .configMaps, transform: .identity) }
    }
}

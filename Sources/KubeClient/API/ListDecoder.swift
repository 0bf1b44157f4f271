import KubeModel

/// Decodes a `…List` response one item at a time.
///
/// Parsing the whole list as one tree, then copying each item to add `apiVersion`/`kind` and drop
/// `managedFields`, leaves the heap riddled with freed fragments between the kept objects: for
/// 10,000 small objects the process kept twice the memory the cache needed. Here the response is
/// only scanned for the byte ranges of its items; each item is parsed, completed and trimmed
/// before the next, so temporaries are small and reused.
enum ListDecoder {
    static func decode(_ bytes: [UInt8], descriptor: ResourceDescriptor, transform: ObjectTransform) throws -> ObjectList {
        let ranges = try bytes.withUnsafeBufferPointer { buffer in
            var scanner = TopLevelScanner(buffer: buffer)
            return try scanner.scan()
        }
        guard let itemRanges = ranges.items else {
            // `items: null` is how Go encodes an empty list.
            return try ObjectList(json: JSONValue(parsing: bytes), descriptor: descriptor)
        }
        var metadata: JSONValue = .null
        if let range = ranges.metadata { metadata = try JSONValue(parsing: bytes[range]) }
        let apiVersion = JSONValue.string(descriptor.apiVersion)
        let kind = JSONValue.string(descriptor.kind)
        var items: [JSONValue] = []
        items.reserveCapacity(itemRanges.count)
        for range in itemRanges {
            var item = try JSONValue(parsing: bytes[range])
            if case .object(var fields) = item {
                item = .null
                if fields["apiVersion"] == nil { fields["apiVersion"] = apiVersion }
                if fields["kind"] == nil { fields["kind"] = kind }
                item = .object(fields)
            }
            items.append(transform.apply(item))
        }
        return ObjectList(items: items, resourceVersion: metadata["resourceVersion"]?.stringValue ?? "",
                          continueToken: metadata["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                          remainingItemCount: metadata["remainingItemCount"]?.intValue.map { Int($0) })
    }
}

/// Finds the byte ranges of a list's `metadata` and of each element of its `items`, without
/// building values. Only structure is checked here; each range is parsed strictly afterwards.
struct TopLevelScanner {
    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0

    init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    struct Ranges {
        var metadata: Range<Int>?
        var items: [Range<Int>]?
    }

    private func fail(_ message: String) -> KubeClientError {
        .malformedResponse("list response at byte \(index): \(message)")
    }

    mutating func scan() throws -> Ranges {
        var ranges = Ranges()
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { return ranges }
        while true {
            skipWhitespace()
            let key = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let isItems = buffer[key].elementsEqual("items".utf8)
            if isItems, peek() == UInt8(ascii: "[") {
                ranges.items = try scanArrayElements()
            } else {
                let start = index
                try skipValue()
                if buffer[key].elementsEqual("metadata".utf8) { ranges.metadata = start..<index }
            }
            skipWhitespace()
            guard let next = peek() else { throw fail("unexpected end") }
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { return ranges }
            throw fail("expected ',' or '}'")
        }
    }

    private func peek() -> UInt8? { index < buffer.count ? buffer[index] : nil }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    /// Returns the range of the string's content (without quotes).
    private mutating func scanString() throws -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while let byte = peek() {
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "\"") {
                let range = start..<index
                index += 1
                return range
            }
            index += 1
        }
        throw fail("unterminated string")
    }

    private mutating func scanArrayElements() throws -> [Range<Int>] {
        try expect(UInt8(ascii: "["))
        var elements: [Range<Int>] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            skipWhitespace()
            let start = index
            try skipValue()
            elements.append(start..<index)
            skipWhitespace()
            guard let next = peek() else { throw fail("unexpected end in items") }
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { return elements }
            throw fail("expected ',' or ']' in items")
        }
    }

    /// Skips one value of any type, tracking nesting and strings.
    private mutating func skipValue() throws {
        guard let first = peek() else { throw fail("expected a value") }
        if first == UInt8(ascii: "\"") { _ = try scanString(); return }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
            // A scalar: runs to the next structural character.
            while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
                  byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 {
                index += 1
            }
            return
        }
        var depth = 0
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                _ = try scanString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { index += 1; return }
            default:
                break
            }
            index += 1
        }
        throw fail("unterminated value")
    }
}

/// Byte comparisons of UTF-8 text over contiguous storage. The generic `UTF8View` algorithms
/// (`starts(with:)`, `elementsEqual`) step an index per byte and cost ~100 instructions a byte;
/// these run over buffer pointers, which is what the hot path needs.
enum UTF8Bytes {
    @inline(__always)
    static func withBytes<T>(_ text: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    @inline(__always)
    static func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    static func equal(_ a: Substring, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return withBytes(a) { x in withBytes(b) { y in equal(x, y) } }
    }

    static func hasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        withBytes(text) { x in
            withBytes(prefix) { p in p.count <= x.count && equal(UnsafeBufferPointer(rebasing: x[0..<p.count]), p) }
        }
    }

    /// Whether `text` ends with `suffix`.
    static func hasSuffix(_ text: String, _ suffix: Substring) -> Bool {
        withBytes(text) { x in
            withBytes(suffix) { s in s.count <= x.count && equal(UnsafeBufferPointer(rebasing: x[(x.count - s.count)...]), s) }
        }
    }
}

/// UTF-8 text as a dictionary key that hashes and compares raw bytes, so lookups with a slice
/// of the request (a path prefix, a host suffix) neither allocate nor Unicode-normalize.
struct ByteKey: Hashable, Sendable {
    let text: Substring

    init(_ text: Substring) { self.text = text }
    init(_ text: String) { self.text = text[...] }

    func hash(into hasher: inout Hasher) {
        UTF8Bytes.withBytes(text) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: ByteKey, b: ByteKey) -> Bool {
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        return UTF8Bytes.withBytes(a.text) { x in UTF8Bytes.withBytes(b.text) { y in UTF8Bytes.equal(x, y) } }
    }
}

/// Header names (and the tokens `Connection` lists) compare ignoring ASCII case. These compare
/// without allocating: no `lowercased()` copy per comparison on the hot path.
enum HeaderNameMatching {
    /// Whether `bytes` equal `lowercased` (already lower case) ignoring ASCII case.
    static func equals<A: Collection<UInt8>, B: Collection<UInt8>>(_ bytes: A, lowercased: B) -> Bool {
        guard bytes.count == lowercased.count else { return false }
        // Native strings are contiguous: compare their bytes in place rather than through two
        // UTF-8 view iterators.
        if let result = bytes.withContiguousStorageIfAvailable({ a in
            lowercased.withContiguousStorageIfAvailable { b in
                for index in 0..<a.count where folded(a[index]) != b[index] { return false }
                return true
            }
        }), let result { return result }
        return zip(bytes, lowercased).allSatisfy { folded($0) == $1 }
    }

    /// `equals` when neither side is known to be lower case.
    static func equalsIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        if let result = a.withContiguousStorageIfAvailable({ a in
            b.withContiguousStorageIfAvailable { b in
                for index in 0..<a.count where folded(a[index]) != folded(b[index]) { return false }
                return true
            }
        }), let result { return result }
        return zip(a, b).allSatisfy { folded($0) == folded($1) }
    }

    private static func folded(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

extension String {
    /// Whether this header name is `lowercased`, ignoring ASCII case.
    func isHeaderName(_ lowercased: String) -> Bool { HeaderNameMatching.equals(utf8, lowercased: lowercased.utf8) }

    /// Whether this header name is the `Connection` list element `token`, ignoring ASCII case.
    func isHeaderName(lowercasing token: Substring) -> Bool { HeaderNameMatching.equalsIgnoringCase(utf8, token.utf8) }
}

extension Substring {
    /// `isHeaderName` for a token cut out of a header value (Connection's list).
    func isToken(_ lowercased: String) -> Bool { HeaderNameMatching.equals(utf8, lowercased: lowercased.utf8) }
}

extension String {
    /// Whether this header name equals `lowercased` ignoring ASCII case (header names are
    /// case-insensitive), without allocating: no `lowercased()` copy per comparison.
    func isHeaderName(_ lowercased: String) -> Bool {
        guard utf8.count == lowercased.utf8.count else { return false }
        var other = lowercased.utf8.makeIterator()
        for byte in utf8 {
            guard let expected = other.next() else { return false }
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != expected { return false }
        }
        return other.next() == nil
    }
}

extension String {
    /// Whether this header name equals `token` (a `Connection` list element) ignoring ASCII case.
    func isHeaderName(lowercasing token: Substring) -> Bool {
        guard utf8.count == token.utf8.count else { return false }
        return zip(utf8, token.utf8).allSatisfy { a, b in Self.folded(a) == Self.folded(b) }
    }

    fileprivate static func folded(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

extension Substring {
    /// `isHeaderName` for a token cut out of a header value (Connection's list).
    func isToken(_ lowercased: String) -> Bool {
        var other = lowercased.utf8.makeIterator()
        for byte in utf8 {
            guard let expected = other.next() else { return false }
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if folded != expected { return false }
        }
        return other.next() == nil
    }
}

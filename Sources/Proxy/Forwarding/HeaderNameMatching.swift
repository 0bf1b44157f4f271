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

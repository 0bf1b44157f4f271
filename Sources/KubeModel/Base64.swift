/// Standard base64 (RFC 4648 with padding), as Go encodes `[]byte` fields such as a Secret's
/// `data`, without Foundation.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode<Bytes: Collection<UInt8>>(_ input: Bytes) -> String {
        let bytes = Array(input)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(chunk >> 18)], alphabet[Int(chunk >> 12 & 63)], alphabet[Int(chunk >> 6 & 63)], alphabet[Int(chunk & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let chunk = UInt32(bytes[index]) << 16
            out += [alphabet[Int(chunk >> 18)], alphabet[Int(chunk >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(chunk >> 18)], alphabet[Int(chunk >> 12 & 63)], alphabet[Int(chunk >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The decoded bytes, or the offset of the first illegal byte (as Go reports it).
    public static func decode(_ text: String) -> Result<[UInt8], Base64Error> {
        var values: [UInt8] = []
        var padding = 0
        let input = Array(text.utf8)
        for (offset, byte) in input.enumerated() {
            if byte == UInt8(ascii: "=") {
                padding += 1
                if padding > 2 { return .failure(Base64Error(offset: offset)) }
                continue
            }
            // Data after padding is illegal.
            if padding > 0 { return .failure(Base64Error(offset: offset - padding)) }
            guard let value = alphabet.firstIndex(of: byte) else { return .failure(Base64Error(offset: offset)) }
            values.append(UInt8(value))
        }
        // An incomplete last quantum is reported at its start.
        if (values.count + padding) % 4 != 0 || (padding > 0 && values.count % 4 + padding != 4) {
            return .failure(Base64Error(offset: input.count / 4 * 4 == input.count ? input.count - 4 : input.count / 4 * 4))
        }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let group = Array(values[index..<min(index + 4, values.count)])
            var chunk: UInt32 = 0
            for (position, value) in group.enumerated() { chunk |= UInt32(value) << (18 - 6 * UInt32(position)) }
            out.append(UInt8(chunk >> 16 & 0xFF))
            if group.count > 2 { out.append(UInt8(chunk >> 8 & 0xFF)) }
            if group.count > 3 { out.append(UInt8(chunk & 0xFF)) }
            index += 4
        }
        return .success(out)
    }

    public struct Base64Error: Error, Equatable, Sendable {
        public var offset: Int
        /// Go's `base64.CorruptInputError` text.
        public var message: String { "illegal base64 data at input byte \(offset)" }
    }
}

/// Request ids: 128 random bits rendered as a UUID-shaped string (what most tracing tools parse).
enum RequestID {
    /// Writes the 36 characters straight into the string's storage: one allocation per id.
    static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        // Version 4 and the RFC 4122 variant, in bytes 6 and 8 of the 16.
        high = (high & ~(0xF << 12)) | (0x4 << 12)
        low = (low & ~(0xC << 60)) | (0x8 << 60)
        return String(unsafeUninitializedCapacity: 36) { out in
            var index = 0
            func emit(_ value: UInt64, nibbles: Int) {
                var shift = (nibbles - 1) * 4
                while shift >= 0 {
                    let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F
                    out[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    index += 1
                    shift -= 4
                }
            }
            func dash() {
                out[index] = UInt8(ascii: "-")
                index += 1
            }
            emit(high >> 32, nibbles: 8); dash()
            emit(high >> 16, nibbles: 4); dash()
            emit(high, nibbles: 4); dash()
            emit(low >> 48, nibbles: 4); dash()
            emit(low, nibbles: 12)
            return 36
        }
    }
}

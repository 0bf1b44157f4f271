/// FNV-1a: a small hash that, unlike `Hasher`, gives the same value in every process, so it can
/// name versions and generated objects that outlive the process that made them.
public enum StableHash {
    public static func fnv1a64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Sixteen lowercase hex digits.
    public static func hex64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let hex = String(fnv1a64(bytes), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

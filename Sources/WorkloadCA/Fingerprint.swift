import Crypto
import X509
import SwiftASN1

/// SHA-256 fingerprints, as `openssl x509 -fingerprint -sha256` prints them but lowercase and
/// without colons, so status fields and metrics labels stay short and greppable.
public enum Fingerprint {
    public static func sha256(_ certificate: Certificate) -> String {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate)) != nil else { return "" }
        return hex(SHA256.hash(data: serializer.serializedBytes))
    }

    public static func sha256(bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    /// Eight hex digits, enough to tell generations of CA keys apart in a subject name.
    static func shortID(of bytes: [UInt8]) -> String { String(sha256(bytes: bytes).prefix(8)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

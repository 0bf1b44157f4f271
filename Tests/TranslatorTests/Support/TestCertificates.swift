import Crypto
import Foundation
import KubeModel
import SwiftASN1
import X509

/// Certificates made when a test runs, so no private key is ever committed. A golden input asks
/// for one with `tls.crt: GENERATED` / `tls.key: GENERATED`; outputs show a placeholder instead
/// of the PEM text.
enum TestCertificates {
    /// A self-signed certificate for `names` and its key, both PEM.
    static func selfSigned(names: [String] = ["*.example.com"]) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(names.first ?? "test") }
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // a fixed instant: 2026-01-01
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now, notValidAfter: now.addingTimeInterval(3600 * 24 * 3650), issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(names.map { GeneralName.dnsName($0) })
            },
            issuerPrivateKey: .init(key))
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    /// Replaces `GENERATED` Secret values with a fresh pair (one per Secret).
    static func fillIn(_ object: JSONValue) throws -> JSONValue {
        guard object["kind"]?.stringValue == "Secret", var data = object["data"]?.objectValue,
              data.values.contains(.string("GENERATED")) else { return object }
        let pair = try selfSigned()
        if data["tls.crt"] == .string("GENERATED") { data["tls.crt"] = .string(Base64.encode(Array(pair.certificate.utf8))) }
        if data["tls.key"] == .string("GENERATED") { data["tls.key"] = .string(Base64.encode(Array(pair.key.utf8))) }
        var copy = object
        copy["data"] = .object(data)
        return copy
    }

    /// Replaces PEM text in rendered output with a stable placeholder.
    static func maskPEM(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.contains("-----BEGIN "):
            return .string(text.contains("PRIVATE KEY") ? "<generated private key>" : "<generated certificate>")
        case .object(let fields): return .object(fields.mapValues(maskPEM))
        case .array(let items): return .array(items.map(maskPEM))
        default: return value
        }
    }
}

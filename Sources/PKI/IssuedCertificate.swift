import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its private key, both PEM, with the certificate's validity.
public struct IssuedCertificate: Sendable, Hashable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var notBefore: Date
    public var notAfter: Date

    public init(certificatePEM: String, privateKeyPEM: String, notBefore: Date, notAfter: Date) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Reads a stored pair back (validity from the certificate itself).
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        _ = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        self.init(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM,
                  notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
    }

    /// When to replace it: half its lifetime (GEP-less but common practice: Istio, cert-manager).
    public var renewalTime: Date { notBefore.addingTimeInterval(notAfter.timeIntervalSince(notBefore) / 2) }
}

/// Makes certificate authorities and issues certificates from them (ECDSA P-256). Time is a
/// parameter, so callers and tests decide what "now" is.
public enum CertificateIssuer {
    /// A self-signed CA.
    public static func authority(commonName: String, lifetime: TimeInterval, now: Date) throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(lifetime)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
                                 notBefore: notBefore, notAfter: notAfter)
    }

    public enum Usage: Sendable { case server, client }

    /// A leaf certificate signed by `authority`, valid for `names` (DNS names and IP addresses),
    /// never beyond the authority's own expiry.
    public static func issue(commonName: String, organization: String? = nil, names: [String], usage: Usage,
                             lifetime: TimeInterval, now: Date, by authority: IssuedCertificate) throws -> IssuedCertificate {
        let caCertificate = try Certificate(pemEncoded: authority.certificatePEM)
        let caKey = try Certificate.PrivateKey(pemEncoded: authority.privateKeyPEM)
        let key = P256.Signing.PrivateKey()
        var sans: [GeneralName] = []
        for name in names {
            if let bytes = IPAddressBytes.parse(name) {
                sans.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
            } else {
                sans.append(.dnsName(name))
            }
        }
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = min(now.addingTimeInterval(lifetime), caCertificate.notValidAfter)
        let subject = try DistinguishedName {
            if let organization { OrganizationName(organization) }
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: caCertificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage(usage == .server ? [.serverAuth] : [.clientAuth])
                if !sans.isEmpty { SubjectAlternativeNames(sans) }
            },
            issuerPrivateKey: caKey)
        return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
                                 notBefore: notBefore, notAfter: notAfter)
    }
}

/// IPv4 dotted quads and IPv6 literals as the bytes a certificate's IP SAN holds.
public enum IPAddressBytes {
    public static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return ipv6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt16] = []
            for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

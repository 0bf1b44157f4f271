import Crypto
import Foundation
import KubeModel
import SwiftASN1
import X509

/// A CA certificate with its private key: a root, or an intermediate with the chain up to (not
/// including) its root. Workload certificates are signed by one of these.
public struct SigningAuthority: Sendable, Hashable {
    public var certificate: Certificate
    public var privateKey: Certificate.PrivateKey
    /// Intermediates between `certificate` and the root, nearest first; empty for a root or for an
    /// intermediate signed by the root itself.
    public var chain: [Certificate]

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey, chain: [Certificate] = []) throws(WorkloadCAError) {
        guard certificate.publicKey == privateKey.publicKey else {
            throw WorkloadCAError(.invalidMaterial, "the CA private key does not belong to the CA certificate \(certificate.subject)")
        }
        guard let constraints = try? certificate.extensions.basicConstraints, case .isCertificateAuthority = constraints else {
            throw WorkloadCAError(.invalidMaterial, "\(certificate.subject) is not a CA certificate (basicConstraints CA:TRUE missing)")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain
    }

    /// Reads PEM material: the CA certificate, its key and the intermediates above it (may be empty).
    public init(certificatePEM: String, privateKeyPEM: String, chainPEM: String = "") throws(WorkloadCAError) {
        do {
            let certificate = try Certificate(pemEncoded: certificatePEM)
            let key = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
            let chain = try PEMDocument.parseMultiple(pemString: chainPEM).map { try Certificate(pemDocument: $0) }
            try self.init(certificate: certificate, privateKey: key, chain: chain)
        } catch let error as WorkloadCAError {
            throw error
        } catch {
            throw WorkloadCAError(.invalidMaterial, "CA material cannot be read: \(error)")
        }
    }

    public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
    public var privateKeyPEM: String { (try? privateKey.serializeAsPEM().pemString) ?? "" }
    public var chainPEM: String { PEM.encode(chain) }
    public var notAfter: Date { certificate.notValidAfter }
    public var notBefore: Date { certificate.notValidBefore }
    public var isSelfSigned: Bool { certificate.issuer == certificate.subject && chain.isEmpty }

    /// A new self-signed root for `trustDomain`.
    public static func makeRoot(trustDomain: String, lifetime: TimeInterval, now: Date,
                                generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> SigningAuthority {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName {
                OrganizationName(trustDomain)
                CommonName("Causeway mesh root \(Fingerprint.shortID(of: Array(key.publicKey.derRepresentation)))")
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: SerialNumbers.make(using: &generator), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-Backdate.seconds), notValidAfter: now.addingTimeInterval(lifetime),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: .init(key.publicKey))
                },
                issuerPrivateKey: .init(key))
            return try SigningAuthority(certificate: certificate, privateKey: .init(key))
        } catch let error as WorkloadCAError {
            throw error
        } catch {
            throw WorkloadCAError(.invalidMaterial, "could not make a root: \(error)")
        }
    }

    /// A new intermediate signed by `self`, never outliving it. Workloads get certificates from the
    /// intermediate, so the root's key is used only when an intermediate is made.
    public func makeIntermediate(trustDomain: String, lifetime: TimeInterval, now: Date,
                                 generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> SigningAuthority {
        guard now < certificate.notValidAfter else {
            throw WorkloadCAError(.issuerNotValid, "\(certificate.subject) expired at \(certificate.notValidAfter)")
        }
        let key = P256.Signing.PrivateKey()
        do {
            let subject = try DistinguishedName {
                OrganizationName(trustDomain)
                CommonName("Causeway mesh intermediate \(Fingerprint.shortID(of: Array(key.publicKey.derRepresentation)))")
            }
            let notAfter = min(now.addingTimeInterval(lifetime), certificate.notValidAfter)
            // Signed with the algorithm `privateKey` goes with: a root read from PEM may be P-384 or RSA.
            let intermediate = try Certificate(
                version: .v3, serialNumber: SerialNumbers.make(using: &generator), publicKey: .init(key.publicKey),
                notValidBefore: max(now.addingTimeInterval(-Backdate.seconds), certificate.notValidBefore), notValidAfter: notAfter,
                issuer: certificate.subject, subject: subject,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: .init(key.publicKey))
                    if let authorityKeyID = try? certificate.extensions.subjectKeyIdentifier {
                        AuthorityKeyIdentifier(keyIdentifier: authorityKeyID.keyIdentifier)
                    }
                },
                issuerPrivateKey: privateKey)
            return try SigningAuthority(certificate: intermediate, privateKey: .init(key), chain: isSelfSigned ? [] : [certificate] + chain)
        } catch let error as WorkloadCAError {
            throw error
        } catch {
            throw WorkloadCAError(.invalidMaterial, "could not make an intermediate: \(error)")
        }
    }
}

/// Certificates start a little in the past, so a peer whose clock lags does not see them as not yet valid.
enum Backdate {
    static let seconds: TimeInterval = 300
}

/// Random, positive, non-zero serials of 16 bytes (RFC 5280 §4.1.2.2 allows up to 20).
enum SerialNumbers {
    static func make(using generator: inout some RandomNumberGenerator) -> Certificate.SerialNumber {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = (bytes[0] & 0x7f) | 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }
}

/// PEM text for several certificates, in order. Encoded from the DER bytes directly: a signing
/// answers with PEM, and building it through String index arithmetic was a tenth of the CA's CPU.
public enum PEM {
    public static func encode(_ certificates: [Certificate]) -> String {
        var out: [UInt8] = []
        for certificate in certificates {
            var serializer = DER.Serializer()
            guard (try? serializer.serialize(certificate)) != nil else { continue }
            append(der: serializer.serializedBytes, label: "CERTIFICATE", to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func append(der: [UInt8], label: String, to out: inout [UInt8]) {
        out.append(contentsOf: "-----BEGIN \(label)-----\n".utf8)
        let base64 = Array(Base64.encode(der).utf8)
        var index = 0
        while index < base64.count {
            let end = min(index + 64, base64.count)
            out.append(contentsOf: base64[index..<end])
            out.append(UInt8(ascii: "\n"))
            index = end
        }
        out.append(contentsOf: "-----END \(label)-----\n".utf8)
    }

    public static func certificates(_ text: String) throws(WorkloadCAError) -> [Certificate] {
        do {
            return try PEMDocument.parseMultiple(pemString: text).map { try Certificate(pemDocument: $0) }
        } catch {
            throw WorkloadCAError(.invalidMaterial, "not a PEM certificate list: \(error)")
        }
    }
}

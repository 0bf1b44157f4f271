import Foundation
import Crypto
import X509
import SwiftASN1

/// The certificates DevCluster serves and authenticates with: its own CA, a serving certificate
/// for the loopback names, and an admin client certificate in `system:masters`, as a kubeadm
/// cluster has. Kept in a directory so a restart (and the written kubeconfig) keep working.
public struct DevClusterPKI: Sendable {
    public var caCertificatePEM: String
    public var servingCertificatePEM: String
    public var servingKeyPEM: String
    public var adminCertificatePEM: String
    public var adminKeyPEM: String

    /// Loads the PKI from `directory` if it is there, or makes it (and writes it there when given).
    public static func loadOrCreate(directory: URL?, hosts: [String]) throws -> DevClusterPKI {
        if let directory, let loaded = try? load(directory) { return loaded }
        let pki = try create(hosts: hosts)
        if let directory { try pki.write(to: directory) }
        return pki
    }

    static let files = ["ca.crt", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key"]

    static func load(_ directory: URL) throws -> DevClusterPKI {
        let texts = try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        return DevClusterPKI(caCertificatePEM: texts[0], servingCertificatePEM: texts[1], servingKeyPEM: texts[2],
                             adminCertificatePEM: texts[3], adminKeyPEM: texts[4])
    }

    func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let texts = [caCertificatePEM, servingCertificatePEM, servingKeyPEM, adminCertificatePEM, adminKeyPEM]
        for (name, text) in zip(Self.files, texts) {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if name.hasSuffix(".key") {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            }
        }
    }

    static func create(hosts: [String], now: Date = Date()) throws -> DevClusterPKI {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("causeway-dev-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))

        let servingKey = P256.Signing.PrivateKey()
        var names: [GeneralName] = []
        for host in hosts {
            if let address = IPv4Address(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: address.bytes[...])))
            } else {
                names.append(.dnsName(host))
            }
        }
        let serving = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(servingKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: caName, subject: try DistinguishedName { CommonName("kube-apiserver") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))

        let adminKey = P256.Signing.PrivateKey()
        let admin = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(adminKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86400),
            issuer: caName,
            subject: try DistinguishedName {
                OrganizationName("system:masters")
                CommonName("causeway-admin")
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey))

        return DevClusterPKI(
            caCertificatePEM: try ca.serializeAsPEM().pemString,
            servingCertificatePEM: try serving.serializeAsPEM().pemString,
            servingKeyPEM: servingKey.pemRepresentation,
            adminCertificatePEM: try admin.serializeAsPEM().pemString,
            adminKeyPEM: adminKey.pemRepresentation)
    }
}

/// A dotted-quad IPv4 address as four bytes (for certificate SANs).
struct IPv4Address {
    var bytes: [UInt8]
    init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        self.bytes = bytes
    }
}

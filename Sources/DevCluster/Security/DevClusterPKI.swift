import Foundation
import PKI

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
        let ca = try CertificateIssuer.authority(commonName: "causeway-dev-ca", lifetime: 10 * 365 * 86400, now: now)
        let serving = try CertificateIssuer.issue(commonName: "kube-apiserver", names: hosts, usage: .server,
                                                  lifetime: 365 * 86400, now: now, by: ca)
        let admin = try CertificateIssuer.issue(commonName: "causeway-admin", organization: "system:masters", names: [],
                                                usage: .client, lifetime: 365 * 86400, now: now, by: ca)
        return DevClusterPKI(
            caCertificatePEM: ca.certificatePEM, servingCertificatePEM: serving.certificatePEM, servingKeyPEM: serving.privateKeyPEM,
            adminCertificatePEM: admin.certificatePEM, adminKeyPEM: admin.privateKeyPEM)
    }
}

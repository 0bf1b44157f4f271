import NIOSSL
import ProxyConfig

/// Builds one `NIOSSLContext` per HTTPS listener. The context presents the default certificate
/// and, per handshake, swaps in the one the client's SNI names (`TLSConfig.certificate(forServerName:)`).
enum TLSContextBuilder {
    struct LoadedCertificate: Sendable {
        var chain: [NIOSSLCertificateSource]
        var key: NIOSSLPrivateKeySource
    }

    static func makeContext(for tls: TLSConfig, listener: String) throws -> NIOSSLContext {
        var loaded: [TLSCertificate: LoadedCertificate] = [:]
        for (index, certificate) in tls.certificates.enumerated() {
            do {
                let chain = try NIOSSLCertificate.fromPEMBytes(try pem(certificate.certificateChain))
                guard !chain.isEmpty else { throw TLSMaterialError(message: "no certificate in PEM") }
                let key = try NIOSSLPrivateKey(bytes: try pem(certificate.privateKey), format: .pem)
                loaded[certificate] = LoadedCertificate(chain: chain.map { .certificate($0) }, key: .privateKey(key))
            } catch {
                throw TLSMaterialError(message: "listener \(listener) certificate \(index): \(error)")
            }
        }
        guard let fallback = tls.certificate(forServerName: nil), let defaultMaterial = loaded[fallback] else {
            throw TLSMaterialError(message: "listener \(listener): no certificate")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: defaultMaterial.chain, privateKey: defaultMaterial.key)
        configuration.applicationProtocols = tls.alpnProtocols
        configuration.minimumTLSVersion = .tlsv12
        let table = loaded
        configuration.sslContextCallback = { values, promise in
            var override = NIOSSLContextConfigurationOverride()
            if let chosen = tls.certificate(forServerName: values.serverHostname), let material = table[chosen] {
                override.certificateChain = material.chain
                override.privateKey = material.key
            }
            promise.succeed(override)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private static func pem(_ source: PEMSource) throws -> [UInt8] {
        switch source {
        case .pem(let text): return Array(text.utf8)
        case .file(let path):
            return try FileBytes.read(path)
        }
    }
}

import Foundation
import Logging
import NIOSSL
import Synchronization

/// The serving certificate of `causeway webhook`, read from a PEM certificate (chain) and key,
/// and read again when either file changes — a Secret volume is updated in place (an atomic
/// symlink swap) when cert-manager or a person rotates it, and the webhook must present the new
/// certificate without a restart. New connections get the new certificate; open ones keep theirs.
public final class CertificateReloader: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private struct Loaded {
        var context: NIOSSLContext
        var certificate: Data
        var key: Data
    }
    private let loaded: Mutex<Loaded>

    /// Loads the pair once; throws when it is unreadable or unusable (the command exits with the reason).
    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        let (certificate, key) = try Self.read(certificatePath, keyPath)
        loaded = Mutex(Loaded(context: try Self.context(certificate: certificate, key: key), certificate: certificate, key: key))
    }

    /// The context for the next connection.
    public var context: NIOSSLContext { loaded.withLock { $0.context } }

    /// Reads both files and switches to them when either changed. A pair caught half-written
    /// (a new certificate with the old key) fails to load and is tried again next time; the
    /// previous pair stays in use meanwhile. Returns whether the certificate changed.
    @discardableResult
    public func reload() throws -> Bool {
        let (certificate, key) = try Self.read(certificatePath, keyPath)
        let unchanged = loaded.withLock { $0.certificate == certificate && $0.key == key }
        if unchanged { return false }
        let context = try Self.context(certificate: certificate, key: key)
        loaded.withLock { $0 = Loaded(context: context, certificate: certificate, key: key) }
        return true
    }

    /// Checks the files every `interval` until the task is cancelled.
    public func watch(every interval: Duration, logger: Logger) async {
        var failing = false
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            do {
                if try reload() { logger.info("loaded the new serving certificate", metadata: ["file": "\(certificatePath)"]) }
                failing = false
            } catch {
                // Once per failure spell, not every interval.
                if !failing {
                    logger.warning("could not load the changed serving certificate; still serving the previous one",
                                   metadata: ["file": "\(certificatePath)", "error": "\(error)"])
                }
                failing = true
            }
        }
    }

    private static func read(_ certificatePath: String, _ keyPath: String) throws -> (Data, Data) {
        guard let certificate = FileManager.default.contents(atPath: certificatePath) else {
            throw CertificateFileError("cannot read the certificate file \(certificatePath)")
        }
        guard let key = FileManager.default.contents(atPath: keyPath) else { throw CertificateFileError("cannot read the key file \(keyPath)") }
        return (certificate, key)
    }

    private static func context(certificate: Data, key: Data) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificate))
        guard !chain.isEmpty else { throw CertificateFileError("the certificate file holds no PEM certificate") }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

public struct CertificateFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

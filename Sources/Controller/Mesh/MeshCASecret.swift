import Foundation
import KubeClient
import KubeModel
import Logging
import WorkloadCA
import X509

/// The mesh CA's state in a Secret of the controller's namespace: root, intermediate, and during
/// a rotation the other root, with the phase in annotations. Only the leader creates and writes
/// it; the other replicas read it.
enum MeshCASecret {
    static let name = "causeway-mesh-ca"
    /// A Secret the user supplies to issue from their own PKI ("plug-in CA"): `ca.crt` and `ca.key`
    /// (the intermediate Causeway signs with), `cert-chain.pem` (intermediates above it, may be
    /// empty) and `root-cert.pem` (the roots workloads trust).
    static let pluggedName = "causeway-cacerts"

    private enum Key {
        static let rootCertificate = "root.crt", rootKey = "root.key"
        static let intermediateCertificate = "intermediate.crt", intermediateKey = "intermediate.key"
        static let pendingCertificate = "pending-root.crt", pendingKey = "pending-root.key"
        static let retiringCertificate = "retiring-root.crt"
    }

    private enum Annotation {
        static let phase = "causeway.dev/rotation-phase"
        static let phaseSince = "causeway.dev/rotation-phase-since"
        static let retireAfter = "causeway.dev/retire-after"
        static let handledRequest = "causeway.dev/handled-rotation-request"
    }

    struct Stored {
        var state: CAState
        var resourceVersion: String?
    }

    static func encode(_ state: CAState, namespace: String, resourceVersion: String? = nil) -> JSONValue {
        func data(_ text: String) -> JSONValue { .string(Base64.encode(Array(text.utf8))) }
        var values: [String: JSONValue] = [
            Key.rootCertificate: data(state.root.certificatePEM), Key.rootKey: data(state.root.privateKeyPEM),
            Key.intermediateCertificate: data(state.intermediate.certificatePEM + state.intermediate.chainPEM),
            Key.intermediateKey: data(state.intermediate.privateKeyPEM),
        ]
        if let pending = state.pendingRoot {
            values[Key.pendingCertificate] = data(pending.certificatePEM)
            values[Key.pendingKey] = data(pending.privateKeyPEM)
        }
        if let retiring = state.retiringRoot { values[Key.retiringCertificate] = data(PEM.encode([retiring])) }
        var annotations: [String: JSONValue] = [
            Annotation.phase: .string(state.phase.rawValue),
            Annotation.phaseSince: .string(Self.format(state.phaseSince)),
        ]
        if let retireAfter = state.retireAfter { annotations[Annotation.retireAfter] = .string(Self.format(retireAfter)) }
        if let handled = state.handledRequest { annotations[Annotation.handledRequest] = .string(handled) }
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string(namespace),
            "labels": ["app.kubernetes.io/managed-by": "causeway"], "annotations": .object(annotations),
        ]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return ["apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": .object(metadata), "data": .object(values)]
    }

    static func decode(_ secret: JSONValue) throws -> CAState {
        func text(_ key: String) throws -> String? {
            guard let encoded = secret[path: ["data", key]]?.stringValue else { return nil }
            guard case .success(let bytes) = Base64.decode(encoded) else { throw KubeClientError("Secret \(name): \(key) is not base64") }
            return String(decoding: bytes, as: UTF8.self)
        }
        func required(_ key: String) throws -> String {
            guard let value = try text(key) else { throw KubeClientError("Secret \(name) lacks \(key)") }
            return value
        }
        let root = try SigningAuthority(certificatePEM: try required(Key.rootCertificate), privateKeyPEM: try required(Key.rootKey))
        let intermediateChain = try PEM.certificates(try required(Key.intermediateCertificate))
        guard let intermediateCertificate = intermediateChain.first else { throw KubeClientError("Secret \(name): empty \(Key.intermediateCertificate)") }
        let intermediate = try SigningAuthority(
            certificatePEM: PEM.encode([intermediateCertificate]), privateKeyPEM: try required(Key.intermediateKey),
            chainPEM: PEM.encode(Array(intermediateChain.dropFirst())))
        var pending: SigningAuthority?
        if let certificate = try text(Key.pendingCertificate), let key = try text(Key.pendingKey) {
            pending = try SigningAuthority(certificatePEM: certificate, privateKeyPEM: key)
        }
        let retiring = try text(Key.retiringCertificate).flatMap { try PEM.certificates($0).first }
        let annotations = secret[path: ["metadata", "annotations"]]
        func date(_ key: String) -> Date? {
            annotations?[key]?.stringValue.flatMap(RFC3339.secondsSinceEpoch).map { Date(timeIntervalSince1970: $0) }
        }
        let phase = annotations?[Annotation.phase]?.stringValue.flatMap(CAState.Phase.init(rawValue:)) ?? .stable
        return CAState(root: root, intermediate: intermediate, pendingRoot: pending, retiringRoot: retiring, phase: phase,
                       phaseSince: date(Annotation.phaseSince) ?? Date(), retireAfter: date(Annotation.retireAfter),
                       handledRequest: annotations?[Annotation.handledRequest]?.stringValue)
    }

    static func read(client: KubeClient, namespace: String) async throws -> Stored? {
        do {
            let secret = try await client.resource(.secrets).get(name, namespace: namespace)
            return Stored(state: try decode(secret), resourceVersion: secret.metaResourceVersion)
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
    }

    /// Reads the stored CA, or generates one and stores it (a leader that lost its Lease meanwhile
    /// may have created it first; then that one is used).
    static func loadOrCreate(client: KubeClient, namespace: String, settings: RootRotation.Settings, now: Date = Date(),
                             logger: Logger) async throws -> Stored {
        if let stored = try await read(client: client, namespace: namespace) { return stored }
        var generator = SystemRandomNumberGenerator()
        let state = try CAState.generate(settings: settings, now: now, generator: &generator)
        do {
            let created = try await client.resource(.secrets).create(encode(state, namespace: namespace), namespace: namespace)
            logger.info("generated the mesh root and intermediate", metadata: [
                "secret": "\(namespace)/\(name)", "root": "\(Fingerprint.sha256(state.root.certificate))",
            ])
            return Stored(state: state, resourceVersion: created.metaResourceVersion)
        } catch let error as KubeAPIError where error.code == .alreadyExists {
            guard let stored = try await read(client: client, namespace: namespace) else { throw error }
            return stored
        }
    }

    /// Writes a new state over the one read at `resourceVersion`; a conflict means another
    /// replica wrote meanwhile, and the caller starts again from what is stored.
    static func write(_ state: CAState, client: KubeClient, namespace: String, resourceVersion: String?) async throws -> String? {
        let written = try await client.resource(.secrets).update(encode(state, namespace: namespace, resourceVersion: resourceVersion))
        return written.metaResourceVersion
    }

    /// The user's own CA, if they supplied one. A Secret that is there but unusable throws
    /// `UnusablePluggedCA`, which says what is wrong with it.
    static func readPlugged(client: KubeClient, namespace: String) async throws -> PluggedCA? {
        let secret: JSONValue
        do {
            secret = try await client.resource(.secrets).get(pluggedName, namespace: namespace)
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
        func text(_ key: String) throws(UnusablePluggedCA) -> String? {
            guard let encoded = secret[path: ["data", key]]?.stringValue else { return nil }
            guard case .success(let bytes) = Base64.decode(encoded) else { throw UnusablePluggedCA(message: "\(key) is not base64") }
            return String(decoding: bytes, as: UTF8.self)
        }
        func required(_ key: String) throws(UnusablePluggedCA) -> String {
            guard let value = try text(key) else { throw UnusablePluggedCA(message: "it has no \(key)") }
            return value
        }
        do {
            let authority = try SigningAuthority(certificatePEM: try required("ca.crt"), privateKeyPEM: try required("ca.key"),
                                                 chainPEM: try text("cert-chain.pem") ?? "")
            return PluggedCA(authority: authority, bundle: try TrustBundle(pem: try required("root-cert.pem")))
        } catch let error as UnusablePluggedCA {
            throw error
        } catch {
            throw UnusablePluggedCA(message: "\(error)")
        }
    }

    static func format(_ date: Date) -> String { RFC3339.format(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down))) }
}

/// A CA the user supplies from their own PKI: the intermediate Causeway signs with, and the
/// roots workloads trust.
struct PluggedCA: Sendable {
    var authority: SigningAuthority
    var bundle: TrustBundle
}

/// `causeway-cacerts` exists but cannot be used; the message says why.
struct UnusablePluggedCA: Error, CustomStringConvertible {
    var message: String
    var description: String { "Secret \(MeshCASecret.pluggedName) is not usable: \(message)" }
}

import Foundation
import Synchronization

/// The bearer tokens DevCluster issued and whom they stand for: the admin token written into the
/// kubeconfig, and service-account tokens from the TokenRequest subresource. TokenReview answers
/// from here.
public final class TokenRegistry: Sendable {
    public struct Identity: Sendable, Equatable {
        public var username: String
        public var uid: String
        public var groups: [String]
        public var audiences: [String]
        public var expires: Date?
    }

    private let tokens = Mutex<[String: Identity]>([:])

    public init() {}

    public func issue(for username: String, groups: [String], audiences: [String] = [], expires: Date? = nil) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        register(token, Identity(username: username, uid: UUID().uuidString.lowercased(), groups: groups,
                                 audiences: audiences, expires: expires))
        return token
    }

    public func register(_ token: String, _ identity: Identity) {
        tokens.withLock { $0[token] = identity }
    }

    public func identity(for token: String, now: Date = Date()) -> Identity? {
        tokens.withLock { table in
            guard let identity = table[token] else { return nil }
            if let expires = identity.expires, expires <= now { return nil }
            return identity
        }
    }
}

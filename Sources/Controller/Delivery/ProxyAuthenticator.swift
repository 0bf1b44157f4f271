import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Who a proxy is: the service account its projected token belongs to, as the API server's
/// TokenReview says for one audience (`causeway-control-plane` for the configuration stream,
/// `causeway-ca` for the mesh CA). Answers are cached briefly, so a fleet reconnecting at once
/// does not send one TokenReview per proxy per attempt.
final class ProxyAuthenticator: Sendable {
    struct Identity: Hashable, Sendable {
        var namespace: String
        var serviceAccount: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let client: KubeClient
    let audience: String
    private let cache = Mutex<[String: (identity: Identity, expires: ContinuousClock.Instant)]>([:])
    private static let cacheTime = Duration.seconds(60)

    init(client: KubeClient, audience: String) {
        self.client = client
        self.audience = audience
    }

    func authenticate(bearer header: String?) async throws -> Identity {
        guard let header, header.lowercased().hasPrefix("bearer ") else {
            throw Failure(description: "no bearer token; proxies present their projected service-account token")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[token] }), cached.expires > now { return cached.identity }
        let review: JSONValue = [
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
            "spec": ["token": .string(token), "audiences": [.string(audience)]],
        ]
        let answer = try await client.sendJSON(method: "POST", path: "/apis/authentication.k8s.io/v1/tokenreviews", body: review)
        guard answer[path: ["status", "authenticated"]]?.boolValue == true else {
            throw Failure(description: "token refused: \(answer[path: ["status", "error"]]?.stringValue ?? "not authenticated")")
        }
        if let audiences = answer[path: ["status", "audiences"]]?.arrayValue, !audiences.contains(.string(audience)) {
            throw Failure(description: "token is not for audience \(audience)")
        }
        let username = answer[path: ["status", "user", "username"]]?.stringValue ?? ""
        let parts = username.split(separator: ":")
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" else {
            throw Failure(description: "\(username) is not a service account")
        }
        let identity = Identity(namespace: String(parts[2]), serviceAccount: String(parts[3]))
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[token] = (identity, now + Self.cacheTime)
        }
        return identity
    }
}

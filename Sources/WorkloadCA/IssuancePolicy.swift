import Foundation

/// What the CA issues: for which trust domain, for how long, and for which key types.
public struct IssuancePolicy: Sendable, Hashable {
    public enum KeyType: String, Sendable, Hashable, CaseIterable {
        case ecdsaP256 = "ECDSA-P256"
        case ecdsaP384 = "ECDSA-P384"
        case rsa = "RSA"
    }

    public var trustDomain: String
    /// Used when the request names no lifetime.
    public var defaultLifetime: TimeInterval
    /// Longer requests are cut to this.
    public var maximumLifetime: TimeInterval
    /// Shorter requests are raised to this (a certificate must outlive one renewal attempt).
    public var minimumLifetime: TimeInterval
    public var allowedKeyTypes: Set<KeyType>
    /// RSA keys shorter than this are refused.
    public var minimumRSABits: Int

    public init(trustDomain: String = "cluster.local", defaultLifetime: TimeInterval = 24 * 3600,
                maximumLifetime: TimeInterval = 7 * 24 * 3600, minimumLifetime: TimeInterval = 60,
                allowedKeyTypes: Set<KeyType> = Set(KeyType.allCases), minimumRSABits: Int = 2048) {
        self.trustDomain = trustDomain
        self.defaultLifetime = defaultLifetime
        self.maximumLifetime = maximumLifetime
        self.minimumLifetime = minimumLifetime
        self.allowedKeyTypes = allowedKeyTypes
        self.minimumRSABits = minimumRSABits
    }

    /// The lifetime a request gets: the default when it asks for none, else clamped into
    /// [minimum, maximum]. Non-positive requests are refused rather than guessed at.
    public func lifetime(requested: TimeInterval?) throws(WorkloadCAError) -> TimeInterval {
        guard let requested else { return min(max(defaultLifetime, minimumLifetime), maximumLifetime) }
        guard requested > 0, requested.isFinite else {
            throw WorkloadCAError(.invalidLifetime, "requested lifetime \(requested) s must be positive")
        }
        return min(max(requested, minimumLifetime), maximumLifetime)
    }
}

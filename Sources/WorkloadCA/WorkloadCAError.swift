/// Why the CA refused a request or a certificate failed verification. The code is stable (metrics
/// label refusals by it, clients branch on it); the message says what exactly was wrong.
public struct WorkloadCAError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Not a PEM/DER certificate signing request.
        public static let malformedRequest = Code("MalformedRequest")
        /// The CSR's signature does not verify with its own public key.
        public static let invalidSignature = Code("InvalidSignature")
        /// A key type or size the CA does not issue for.
        public static let keyTypeNotAllowed = Code("KeyTypeNotAllowed")
        /// The CSR names another identity than the one the caller authenticated as, or more than one.
        public static let identityMismatch = Code("IdentityMismatch")
        /// A SPIFFE ID of another trust domain than the CA's or the verifier's.
        public static let wrongTrustDomain = Code("WrongTrustDomain")
        /// A string that is not a SPIFFE ID of the `/ns/<ns>/sa/<sa>` shape.
        public static let malformedIdentity = Code("MalformedIdentity")
        /// The issuing authority has expired or is not yet valid.
        public static let issuerNotValid = Code("IssuerNotValid")
        /// A requested lifetime outside what the policy allows.
        public static let invalidLifetime = Code("InvalidLifetime")
        /// A peer chain that does not lead to a root of the trust bundle, or is expired.
        public static let untrustedChain = Code("UntrustedChain")
        /// A peer whose identity is not one the caller expected.
        public static let unexpectedPeer = Code("UnexpectedPeer")
        /// Key or certificate material that cannot be read or is inconsistent.
        public static let invalidMaterial = Code("InvalidMaterial")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

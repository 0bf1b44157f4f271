/// A failure below HTTP: the server could not be reached, TLS failed, the exchange timed out.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let couldNotConnect = Code("couldNotConnect")
        public static let couldNotResolve = Code("couldNotResolve")
        public static let timedOut = Code("timedOut")
        public static let tls = Code("tls")
        public static let connectionLost = Code("connectionLost")
        public static let invalidRequest = Code("invalidRequest")
        public static let responseTooLarge = Code("responseTooLarge")
        public static let shutdown = Code("shutdown")
        public static let other = Code("other")
    }

    public var code: Code
    public var message: String
    /// libcurl's CURLcode, when the error came from libcurl.
    public var curlCode: Int?

    public init(code: Code, message: String, curlCode: Int? = nil) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "\(code): \(message)" }

    /// Errors compare by code, as STYLE.md asks.
    public static func == (lhs: TransportError, rhs: TransportError) -> Bool { lhs.code == rhs.code }
}

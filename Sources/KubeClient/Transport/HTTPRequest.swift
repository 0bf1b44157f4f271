/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    /// An absolute URL: `https://host:port/path?query`.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Limit on the whole exchange; `nil` for watches and other long-lived streams.
    public var timeout: Duration?
    public var tls: TLSSettings

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                timeout: Duration? = .seconds(60), tls: TLSSettings = TLSSettings()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.tls = tls
    }
}

/// Status line and headers of a response; the body follows as a stream.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    /// Header names as received; look them up with `header(_:)`, which ignores case.
    public var headers: [HTTPHeader]

    public init(status: Int, headers: [HTTPHeader]) {
        self.status = status
        self.headers = headers
    }

    /// The first value of a header, its name compared without case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A response whose body arrives as byte chunks, in order, as the network delivers them.
/// Dropping or cancelling the iteration of `body` aborts the transfer.
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: HTTPBody

    public init(head: HTTPResponseHead, body: HTTPBody) {
        self.head = head
        self.body = body
    }

    /// Collects the whole body, refusing more than `limit` bytes so a runaway response cannot exhaust memory.
    public func collectBody(limit: Int = 256 << 20) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes.append(contentsOf: chunk)
            if bytes.count > limit {
                throw TransportError(code: .responseTooLarge, message: "response body exceeds \(limit) bytes")
            }
        }
        return bytes
    }
}

/// Sends HTTP requests; `CurlTransport` is the real one.
public protocol HTTPTransport: Sendable {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse
}

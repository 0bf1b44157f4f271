import Foundation
import KubeModel
import Logging

/// A client of one Kubernetes API server: rate-limited, authenticated requests, decoded errors,
/// and the entry points to dynamic and typed resources.
///
/// ```swift
/// let client = KubeClient(config: try ClientConfig.load())          // KUBECONFIG, ~/.kube/config or in-cluster
/// let configMaps = client.resource(.configMaps)
/// let cm = try await configMaps.get("settings", namespace: "default")
/// let informer = SharedInformer(name: "configmaps", listerWatcher: configMaps.listerWatcher())
/// informer.addEventHandler(.keys { key in queue.add(ReconcileRequest(key: key)) })
/// ```
public final class KubeClient: Sendable {
    public let config: ClientConfig
    public let transport: any HTTPTransport
    public let clock: any KubeClock
    let limiter: TokenBucket
    let credentials: CredentialProvider
    let logger: Logger
    /// How many times a 429 (or a 503 with `Retry-After`) is retried before giving up.
    public let maxRetries: Int

    public init(config: ClientConfig, transport: any HTTPTransport = CurlTransport(), clock: any KubeClock = SystemClock(),
                maxRetries: Int = 10, logger: Logger = Logger(label: "causeway.kubeclient")) {
        self.config = config
        self.transport = transport
        self.clock = clock
        self.maxRetries = maxRetries
        self.logger = logger
        limiter = TokenBucket(qps: config.qps, burst: config.burst, clock: clock)
        credentials = CredentialProvider(source: config.credentials, clock: clock)
    }

    /// Dynamic access to any resource, with objects as `JSONValue`.
    public func resource(_ descriptor: ResourceDescriptor) -> DynamicResourceClient {
        DynamicResourceClient(client: self, descriptor: descriptor)
    }

    /// Typed access to a resource whose Swift type conforms to `KubeResource`.
    public func typed<Object: KubeResource>(_ type: Object.Type) -> TypedResourceClient<Object> {
        TypedResourceClient(dynamic: resource(Object.descriptor))
    }

    /// Sends one request and returns a 2xx response with its body still streaming.
    /// Non-2xx answers are thrown as `KubeAPIError`; 429 and 503 with `Retry-After` are retried
    /// after the delay the server asked for, and a 401 is retried once with refreshed credentials.
    public func send(method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                     contentType: String? = nil, streaming: Bool = false) async throws -> HTTPResponse {
        var url = config.server + path
        if !query.isEmpty { url += "?" + PathEscaping.query(query) }
        let description = "\(method) \(path)"
        var attempt = 0
        var refreshedCredentials = false
        while true {
            try await limiter.acquire()
            let credentials = try await self.credentials.credentials()
            var headers: [(name: String, value: String)] = [("Accept", "application/json"), ("User-Agent", config.userAgent)]
            if let contentType { headers.append(("Content-Type", contentType)) }
            if let authorization = credentials.authorization { headers.append(("Authorization", authorization)) }
            var tls = config.tls
            if let cert = credentials.clientCertificatePEM, let key = credentials.clientKeyPEM {
                tls.clientCertificatePEM = cert
                tls.clientKeyPEM = key
            }
            let request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                      timeout: streaming ? nil : config.timeout, tls: tls)
            let response = try await transport.execute(request)
            let status = response.head.status
            if (200..<300).contains(status) { return response }

            let errorBody = try await response.collectBody(limit: 1 << 20)
            let error = KubeAPIError(httpStatus: status, body: errorBody, request: description)
            if status == 401, !refreshedCredentials, config.credentials.isRefreshable {
                refreshedCredentials = true
                await self.credentials.invalidate()
                continue
            }
            let retryAfter = response.head.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if attempt < maxRetries, status == 429 || (status == 503 && retryAfter != nil) {
                attempt += 1
                let wait = max(1, min(retryAfter ?? error.retryAfterSeconds ?? 1, 60))
                logger.debug("throttled by the API server, retrying", metadata: [
                    "request": "\(description)", "status": "\(status)", "retryAfterSeconds": "\(wait)", "attempt": "\(attempt)",
                ])
                try await clock.sleep(for: .seconds(wait))
                continue
            }
            throw error
        }
    }

    /// Sends a request and parses the whole response as JSON.
    public func sendJSON(method: String, path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                         contentType: String = "application/json") async throws -> JSONValue {
        let response = try await send(method: method, path: path, query: query, body: body?.serialized(),
                                      contentType: body == nil ? nil : contentType)
        let bytes = try await response.collectBody()
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw KubeClientError.malformedResponse("\(method) \(path) answered invalid JSON: \(error)")
        }
    }
}

extension CredentialSource {
    /// Whether asking again can give a different answer (so a 401 is worth one retry).
    var isRefreshable: Bool {
        switch self {
        case .tokenFile, .exec: return true
        default: return false
        }
    }
}

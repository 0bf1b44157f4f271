import KubeClient
import KubeModel

/// Names the object to reconcile: `namespace/name`, or `name` for cluster-scoped objects.
public struct ReconcileRequest: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// Parses a cache key.
    public init(key: String) {
        if let slash = key.firstIndex(of: "/") {
            self.init(namespace: String(key[..<slash]), name: String(key[key.index(after: slash)...]))
        } else {
            self.init(namespace: nil, name: key)
        }
    }

    public init(object: JSONValue) { self.init(namespace: object.metaNamespace, name: object.metaName ?? "") }

    public var key: String { namespace.map { "\($0)/\(name)" } ?? name }
    public var description: String { key }
}

/// What to do with a request after reconciling it.
public struct ReconcileResult: Sendable, Equatable {
    /// Look again after this long (e.g. a certificate's renewal time), even if nothing changes.
    public var requeueAfter: Duration?
    /// Look again soon, with rate-limited backoff.
    public var requeue: Bool

    public init(requeueAfter: Duration? = nil, requeue: Bool = false) {
        self.requeueAfter = requeueAfter
        self.requeue = requeue
    }

    public static let done = ReconcileResult()
}

/// Makes the world match the desired state of one object. It gets a key, not an event: it reads
/// the current state (usually from an informer cache) and acts on the whole of it.
public protocol Reconciler: Sendable {
    /// Throw to retry with backoff; throw `TerminalError` for failures a retry cannot fix.
    func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult
}

/// A failure that retrying will not fix (invalid spec, missing permission by design): logged, not requeued.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error
    public init(_ underlying: any Error) { self.underlying = underlying }
    public var description: String { "terminal: \(underlying)" }
}

/// A reconciler from a closure, for small controllers and tests.
public struct ReconcilerFunction: Reconciler {
    let body: @Sendable (ReconcileRequest) async throws -> ReconcileResult
    public init(_ body: @escaping @Sendable (ReconcileRequest) async throws -> ReconcileResult) { self.body = body }
    public func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult { try await body(request) }
}

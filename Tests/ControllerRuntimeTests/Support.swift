import ControllerRuntime
import Foundation
import KubeClient
import KubeModel
import Synchronization
import TestSupport

/// One Lease in memory with resourceVersion compare-and-swap, shared by several candidates.
final class MemoryLeaseBackend: Sendable {
    private let lease = Locked<Lease?>(nil)
    private let version = Locked(0)

    var current: Lease? { lease.withLock { $0 } }

    func get() -> Lease? { lease.withLock { $0 } }

    func create(_ new: Lease) throws -> Lease {
        try lease.withLock { lease in
            if lease != nil { throw KubeAPIError(httpStatus: 409, status: APIStatus(message: "leases \"l\" already exists", reason: "AlreadyExists", code: 409), request: "POST") }
            var stored = new
            stored.metadata.resourceVersion = String(version.withLock { $0 += 1; return $0 })
            lease = stored
            return stored
        }
    }

    func update(_ new: Lease) throws -> Lease {
        try lease.withLock { lease in
            guard lease?.metadata.resourceVersion == new.metadata.resourceVersion else {
                throw KubeAPIError(httpStatus: 409, status: APIStatus(message: "the object has been modified", reason: "Conflict", code: 409), request: "PUT")
            }
            var stored = new
            stored.metadata.resourceVersion = String(version.withLock { $0 += 1; return $0 })
            lease = stored
            return stored
        }
    }
}

/// One candidate's view of the backend; `cut()` makes every call fail, like a killed or partitioned process.
final class CandidateLeaseStore: LeaseStore {
    let backend: MemoryLeaseBackend
    let namespace = "causeway-system"
    let name = "causeway-controller"
    private let partitioned = Locked(false)

    init(backend: MemoryLeaseBackend) { self.backend = backend }

    func cut() { partitioned.withLock { $0 = true } }

    private func check() throws {
        if partitioned.withLock({ $0 }) { throw TransportError(code: .couldNotConnect, message: "partitioned") }
    }

    func get() async throws -> Lease? { try check(); return backend.get() }
    func create(_ lease: Lease) async throws -> Lease { try check(); return try backend.create(lease) }
    func update(_ lease: Lease) async throws -> Lease { try check(); return try backend.update(lease) }
}

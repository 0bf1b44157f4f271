import Synchronization

/// Serializes writers of the same object while letting writers of different objects run side
/// by side: a fixed set of locks, each object hashed to one. A mutation's closure (validation,
/// admission, patching, cluster-IP allocation) runs under its object's lock only, so it sees
/// the object it decides on stay put, and its side effects happen once.
final class ObjectWriteLocks: Sendable {
    private final class Stripe: Sendable {
        let mutex = Mutex(())
    }

    private let stripes: [Stripe]

    init(stripes: Int = 64) {
        self.stripes = (0..<max(1, stripes)).map { _ in Stripe() }
    }

    func withLock<Result, E: Error>(_ key: StorageKey, _ objectKey: ObjectKey,
                                    _ body: () throws(E) -> sending Result) throws(E) -> sending Result {
        var hasher = Hasher()
        hasher.combine(key)
        hasher.combine(objectKey)
        let stripe = stripes[Int(UInt(bitPattern: hasher.finalize()) % UInt(stripes.count))]
        return try stripe.mutex.withLock { (_: inout ()) throws(E) -> sending Result in try body() }
    }
}

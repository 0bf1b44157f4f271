/// A pod the injector refuses: an invalid mesh annotation, or names that clash with the mesh's.
/// The webhook denies the pod with `message`, so it names the field and the value, and says
/// what would be accepted.
public struct InjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

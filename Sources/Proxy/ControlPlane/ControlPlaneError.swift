/// A failure talking to the control plane or its mesh CA: a bad URL or an answer it refused with.
public struct ControlPlaneError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

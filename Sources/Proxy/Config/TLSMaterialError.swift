/// TLS material that could not be loaded; the config carrying it is rejected.
public struct TLSMaterialError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

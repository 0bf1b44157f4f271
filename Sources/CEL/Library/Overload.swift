/// One signature of a function, for the checker. A member overload's first parameter is the
/// receiver (`string.startsWith(string)` is `member([.string, .string], .bool)`).
struct Overload: Sendable {
    let member: Bool
    let parameters: [CELType]
    let result: CELType

    static func member(_ parameters: [CELType], _ result: CELType) -> Overload {
        Overload(member: true, parameters: parameters, result: result)
    }

    static func global(_ parameters: [CELType], _ result: CELType) -> Overload {
        Overload(member: false, parameters: parameters, result: result)
    }

    /// Both `size(x)` and `x.size()`.
    static func both(_ parameters: [CELType], _ result: CELType) -> [Overload] {
        [.member(parameters, result), .global(parameters, result)]
    }
}

/// Shorthands for signatures.
extension CELType {
    static let a = CELType.parameter("A")
    static let b = CELType.parameter("B")
    static let ip = CELType.opaque("net.IP")
    static let cidr = CELType.opaque("net.CIDR")
    static let url = CELType.opaque("kubernetes.URL")
    static let quantity = CELType.opaque("kubernetes.Quantity")
}

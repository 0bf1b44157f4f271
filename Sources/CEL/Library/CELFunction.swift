/// A named function: its signatures and its implementation, which dispatches on the runtime
/// arguments (receiver first) and throws `no such overload` for arguments it does not take.
struct CELFunction: Sendable {
    typealias Implementation = @Sendable ([CELValue]) throws(CELError) -> CELValue

    let name: String
    let overloads: [Overload]
    let implementation: Implementation

    init(_ name: String, _ overloads: [Overload], _ implementation: @escaping Implementation) {
        self.name = name
        self.overloads = overloads
        self.implementation = implementation
    }

    /// Two libraries may define the same name (`indexOf` on strings and on lists): the merged
    /// function tries each implementation until one accepts the arguments.
    func merged(with other: CELFunction) -> CELFunction {
        let first = implementation
        let second = other.implementation
        return CELFunction(name, overloads + other.overloads) { (arguments) throws(CELError) -> CELValue in
            do throws(CELError) {
                return try first(arguments)
            } catch {
                guard error == .noSuchOverload else { throw error }
                return try second(arguments)
            }
        }
    }
}

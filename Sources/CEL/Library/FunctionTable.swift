/// Every function an expression can call: the CEL standard library and the Kubernetes extension
/// libraries (strings, lists, sets, regex, URLs, IPs and CIDRs, quantities), built once.
struct FunctionTable: Sendable {
    let functions: [String: CELFunction]
    /// Names written with a dot (`ip.isCanonical`), which the parser turns into global calls.
    let qualifiedNames: Set<String>

    static let kubernetes = FunctionTable(libraries: [
        OperatorLibrary.functions, ConversionLibrary.functions, StringLibrary.functions, ListLibrary.functions,
        RegexLibrary.functions, OptionalLibrary.functions, TimeLibrary.functions, URLLibrary.functions,
        IPLibrary.functions, CIDRLibrary.functions, QuantityLibrary.functions, SetLibrary.functions,
        StringFormatLibrary.functions,
    ])

    init(libraries: [[CELFunction]]) {
        var functions: [String: CELFunction] = [:]
        for function in libraries.joined() {
            if let existing = functions[function.name] {
                functions[function.name] = existing.merged(with: function)
            } else {
                functions[function.name] = function
            }
        }
        self.functions = functions
        qualifiedNames = Set(functions.keys.filter { $0.contains(".") })
    }
}

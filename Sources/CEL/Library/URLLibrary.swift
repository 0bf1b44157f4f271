/// Kubernetes' URL library: `url()`, `isURL()`, `getScheme()`, `getHost()`, `getHostname()`,
/// `getPort()`, `getEscapedPath()`, `getQuery()`.
enum URLLibrary {
    private static func url(_ value: CELValue) throws(CELError) -> URLValue {
        guard case .opaque(let opaque) = value, let url = opaque as? URLValue else { throw .noSuchOverload }
        return url
    }

    private static func accessor(_ name: String, _ read: @escaping @Sendable (URLValue) -> String) -> CELFunction {
        CELFunction(name, [.member([.url], .string)]) { (arguments) throws(CELError) -> CELValue in .string(read(try url(arguments[0]))) }
    }

    static let functions: [CELFunction] = [
        CELFunction("url", [.global([.string], .url)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            guard let parsed = URLValue.parse(text) else { throw CELError("URL parse error during conversion from string: \(text)") }
            return .opaque(parsed)
        },
        CELFunction("isURL", [.global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            return .bool(URLValue.parse(text) != nil)
        },
        accessor("getScheme") { $0.scheme },
        accessor("getHost") { $0.host },
        accessor("getHostname") { $0.hostname },
        accessor("getPort") { $0.port },
        accessor("getEscapedPath") { $0.escapedPath },
        CELFunction("getQuery", [.member([.url], .map(.string, .list(.string)))]) { (arguments) throws(CELError) -> CELValue in
            let entries = try url(arguments[0]).query.map { (key: CELValue.string($0.0), value: CELValue.list(CELList($0.1.map(CELValue.string)))) }
            return .map(CELMap(entries: entries))
        },
    ]
}

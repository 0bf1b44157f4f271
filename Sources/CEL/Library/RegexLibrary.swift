import KubeModel
import Synchronization

/// `matches` (standard) and Kubernetes' regex library (`find`, `findAll`). Patterns use RE2
/// syntax; Swift's `Regex` accepts it, matching here on Unicode scalars like RE2 rather than on
/// grapheme clusters. A rule's pattern is almost always a literal, so compiled patterns are cached.
enum RegexLibrary {
    private static let cache = Mutex<[String: SchemaPattern]>([:])

    static func pattern(_ source: String) throws(CELError) -> SchemaPattern {
        if let cached = cache.withLock({ $0[source] }) { return cached }
        let compiled: SchemaPattern
        do {
            compiled = try SchemaPattern(source, matchingUnicodeScalars: true)
        } catch {
            throw CELError("error parsing regexp: \(source)")
        }
        cache.withLock { cache in
            if cache.count > 1024 { cache.removeAll() }
            cache[source] = compiled
        }
        return compiled
    }

    private static func strings(_ arguments: [CELValue]) throws(CELError) -> (String, String) {
        guard case .string(let text) = arguments[0], case .string(let source) = arguments[1] else { throw .noSuchOverload }
        return (text, source)
    }

    private static func matches(_ text: String, _ source: String) throws(CELError) -> [Substring] {
        let regex = try pattern(source).regex
        return text.matches(of: regex).map { text[$0.range] }
    }

    static let functions: [CELFunction] = [
        CELFunction("matches", [.member([.string, .string], .bool), .global([.string, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let (text, source) = try strings(arguments)
            let regex = try pattern(source).regex
            return .bool((try? regex.firstMatch(in: text)) != nil)
        },
        CELFunction("find", [.member([.string, .string], .string)]) { (arguments) throws(CELError) -> CELValue in
            let (text, source) = try strings(arguments)
            let regex = try pattern(source).regex
            guard let match = try? regex.firstMatch(in: text) else { return .string("") }
            return .string(String(text[match.range]))
        },
        CELFunction("findAll", [.member([.string, .string], .list(.string)), .member([.string, .string, .int], .list(.string))]) { (arguments) throws(CELError) -> CELValue in
            let (text, source) = try strings(arguments)
            var found = try matches(text, source)
            if arguments.count > 2 {
                guard case .int(let limit) = arguments[2] else { throw .noSuchOverload }
                if limit == 0 { return .list(CELList([])) }
                if limit > 0 { found = Array(found.prefix(Int(limit))) }
            }
            return .list(CELList(found.map { .string(String($0)) }))
        },
    ]
}

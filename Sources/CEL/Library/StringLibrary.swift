import KubeModel

/// String functions: the standard `contains`, `startsWith`, `endsWith`, `matches`, and the
/// extended strings library Kubernetes enables (`lowerAscii`, `split`, `join`, `replace`,
/// `substring`, `indexOf`, `trim`, `charAt`, ...). Indexes count code points, as in cel-go.
enum StringLibrary {
    private static func string(_ value: CELValue) throws(CELError) -> String {
        guard case .string(let text) = value else { throw .noSuchOverload }
        return text
    }

    private static func int(_ value: CELValue) throws(CELError) -> Int64 {
        guard case .int(let number) = value else { throw .noSuchOverload }
        return number
    }

    private static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    private static func text(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// The code point index of `needle` in `haystack` at or after `start`.
    private static func firstIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
        if needle.isEmpty { return start }
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }

    static let functions: [CELFunction] = [
        CELFunction("contains", [.member([.string, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let needle = try string(arguments[1])
            let haystack = try string(arguments[0])
            return .bool(needle.isEmpty || firstIndex(of: scalars(needle), in: scalars(haystack), from: 0) != nil)
        },
        CELFunction("startsWith", [.member([.string, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try string(arguments[0]).unicodeScalars.starts(with: try string(arguments[1]).unicodeScalars))
        },
        CELFunction("endsWith", [.member([.string, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try string(arguments[0]).unicodeScalars.reversed().starts(with: try string(arguments[1]).unicodeScalars.reversed()))
        },
        CELFunction("lowerAscii", [.member([.string], .string)]) { (arguments) throws(CELError) -> CELValue in
            .string(text(try string(arguments[0]).unicodeScalars.map { $0.value >= 0x41 && $0.value <= 0x5A ? Unicode.Scalar($0.value + 32)! : $0 }))
        },
        CELFunction("upperAscii", [.member([.string], .string)]) { (arguments) throws(CELError) -> CELValue in
            .string(text(try string(arguments[0]).unicodeScalars.map { $0.value >= 0x61 && $0.value <= 0x7A ? Unicode.Scalar($0.value - 32)! : $0 }))
        },
        CELFunction("trim", [.member([.string], .string)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            // Go's strings.TrimSpace: Unicode white space.
            let start = all.firstIndex { !$0.properties.isWhitespace } ?? all.count
            let end = (all.lastIndex { !$0.properties.isWhitespace } ?? -1) + 1
            return .string(start < end ? text(all[start..<end]) : "")
        },
        CELFunction("charAt", [.member([.string, .int], .string)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            let index = try int(arguments[1])
            guard index >= 0 && index <= Int64(all.count) else { throw CELError("index out of range: \(index)") }
            return .string(index == Int64(all.count) ? "" : text([all[Int(index)]]))
        },
        CELFunction("indexOf", [.member([.string, .string], .int), .member([.string, .string, .int], .int)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            let needle = scalars(try string(arguments[1]))
            let start = arguments.count > 2 ? try int(arguments[2]) : 0
            guard start >= 0 && start <= Int64(all.count) else { throw CELError("index out of range: \(start)") }
            return .int(Int64(firstIndex(of: needle, in: all, from: Int(start)) ?? -1))
        },
        CELFunction("lastIndexOf", [.member([.string, .string], .int), .member([.string, .string, .int], .int)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            let needle = scalars(try string(arguments[1]))
            var last = Int64(all.count - needle.count)
            if arguments.count > 2 {
                let given = try int(arguments[2])
                guard given >= 0 && given <= Int64(all.count) else { throw CELError("index out of range: \(given)") }
                last = min(last, given)
            }
            var index = Int(last)
            while index >= 0 {
                if all[index..<index + needle.count].elementsEqual(needle) { return .int(Int64(index)) }
                index -= 1
            }
            return .int(-1)
        },
        CELFunction("substring", [.member([.string, .int], .string), .member([.string, .int, .int], .string)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            let start = try int(arguments[1])
            let end = arguments.count > 2 ? try int(arguments[2]) : Int64(all.count)
            guard start >= 0 && start <= Int64(all.count) else { throw CELError("index out of range: \(start)") }
            guard end >= 0 && end <= Int64(all.count) else { throw CELError("index out of range: \(end)") }
            guard start <= end else { throw CELError("invalid substring range. start: \(start), end: \(end)") }
            return .string(text(all[Int(start)..<Int(end)]))
        },
        CELFunction("replace", [.member([.string, .string, .string], .string), .member([.string, .string, .string, .int], .string)]) { (arguments) throws(CELError) -> CELValue in
            let all = scalars(try string(arguments[0]))
            let old = scalars(try string(arguments[1]))
            let new = scalars(try string(arguments[2]))
            var remaining = arguments.count > 3 ? try int(arguments[3]) : -1
            var result: [Unicode.Scalar] = []
            var index = 0
            while remaining != 0, let found = firstIndex(of: old, in: all, from: index) {
                result += all[index..<found]
                result += new
                if old.isEmpty {
                    // Go inserts the replacement between every code point.
                    if found < all.count { result.append(all[found]) }
                    index = found + 1
                    if index > all.count { break }
                } else {
                    index = found + old.count
                }
                remaining -= 1
            }
            if index < all.count { result += all[index...] }
            return .string(text(result))
        },
        CELFunction("split", [.member([.string, .string], .list(.string)), .member([.string, .string, .int], .list(.string))]) { (arguments) throws(CELError) -> CELValue in
            let whole = try string(arguments[0])
            let separator = try string(arguments[1])
            let limit = arguments.count > 2 ? try int(arguments[2]) : -1
            if limit == 0 { return .list(CELList([])) }
            var parts: [String]
            if separator.isEmpty {
                parts = whole.unicodeScalars.map { String($0) }
            } else {
                parts = split(whole, separator)
            }
            if limit > 0 && parts.count > Int(limit) {
                let head = Array(parts.prefix(Int(limit) - 1))
                let tail = parts.dropFirst(Int(limit) - 1).joined(separator: separator)
                parts = head + [tail]
            }
            return .list(CELList(parts.map(CELValue.string)))
        },
        CELFunction("join", [.member([.list(.string)], .string), .member([.list(.string), .string], .string)]) { (arguments) throws(CELError) -> CELValue in
            guard case .list(let list) = arguments[0] else { throw .noSuchOverload }
            let separator = arguments.count > 1 ? try string(arguments[1]) : ""
            var parts: [String] = []
            for element in list.elements { parts.append(try string(element)) }
            return .string(parts.joined(separator: separator))
        },
        CELFunction("reverse", [.member([.string], .string)]) { (arguments) throws(CELError) -> CELValue in
            .string(text(try string(arguments[0]).unicodeScalars.reversed()))
        },
        CELFunction("strings.quote", [.global([.string], .string)]) { (arguments) throws(CELError) -> CELValue in
            .string(GoQuote.quote(try string(arguments[0])))
        },
    ]

    /// Go's strings.Split for a non-empty separator.
    private static func split(_ whole: String, _ separator: String) -> [String] {
        let all = scalars(whole)
        let needle = scalars(separator)
        var parts: [String] = []
        var start = 0
        while let found = firstIndex(of: needle, in: all, from: start) {
            parts.append(text(all[start..<found]))
            start = found + needle.count
        }
        parts.append(text(all[start...]))
        return parts
    }
}

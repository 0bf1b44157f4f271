/// A rule's `fieldPath` (`.spec.ports`, `.labels['app.kubernetes.io/name']`), checked against the
/// schema the way apiextensions' `ValidFieldPath` does: only field and map-key steps, each naming
/// something the schema declares. The result is the path the error is reported at, relative to
/// the rule's node.
enum ValidationRuleFieldPath {
    static func normalize(_ path: String, under node: SchemaNode) -> String? {
        var tokens: [String] = []
        var current = ""
        var scalars = Array(path.unicodeScalars)[...]
        // Split into ".", "[", "]" and text; a single-quoted string is one token.
        while let scalar = scalars.first {
            if scalar == "'" && current.isEmpty {
                var quoted = "'"
                scalars = scalars.dropFirst()
                var closed = false
                while let next = scalars.first {
                    scalars = scalars.dropFirst()
                    quoted.unicodeScalars.append(next)
                    if next == "'" && !quoted.hasSuffix("\\'") {
                        closed = true
                        break
                    }
                }
                guard closed else { return nil }
                tokens.append(quoted)
                continue
            }
            if scalar == "." || scalar == "[" || scalar == "]" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                tokens.append(String(scalar))
            } else {
                current.unicodeScalars.append(scalar)
            }
            scalars = scalars.dropFirst()
        }
        if !current.isEmpty { tokens.append(current) }

        var schema = node
        var result = ""
        func step(_ name: String) -> Bool {
            if !schema.properties.isEmpty {
                guard let property = schema.properties[name] else { return false }
                result += result.isEmpty ? name : ".\(name)"
                schema = property
                return true
            }
            if let additional = schema.additionalPropertiesSchema {
                result += "[\(name)]"
                schema = additional
                return true
            }
            return false
        }
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case ".":
                guard index + 1 < tokens.count, !["[", "]", "."].contains(tokens[index + 1]), step(tokens[index + 1]) else { return nil }
                index += 2
            case "[":
                guard index + 2 < tokens.count, tokens[index + 2] == "]" else { return nil }
                let quoted = tokens[index + 1]
                guard quoted.count >= 2, quoted.hasPrefix("'"), quoted.hasSuffix("'"),
                      let name = unescape(String(quoted.dropFirst().dropLast())), step(name) else { return nil }
                index += 3
            default:
                return nil
            }
        }
        return result.isEmpty ? nil : result
    }

    private static func unescape(_ text: String) -> String? {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "a": result.append("\u{07}")
                case "b": result.append("\u{08}")
                case "f": result.append("\u{0C}")
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "t": result.append("\t")
                case "v": result.append("\u{0B}")
                case "'", "\\": result.append(character)
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : result
    }
}

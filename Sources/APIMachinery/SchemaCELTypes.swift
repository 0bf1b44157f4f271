import CEL
import KubeModel

/// The CEL types of a schema's nodes, as Kubernetes declares them for validation rules: objects
/// with properties have known fields, `additionalProperties` makes a map, arrays lists, string
/// formats `date-time`/`duration`/`byte` timestamps, durations and bytes; int-or-string and
/// preserved unknown fields are `dyn`. Built once per schema and shared between rules.
final class SchemaCELTypes {
    private var cache: [ObjectIdentifier: CELType] = [:]

    func type(of node: SchemaNode, isResourceRoot: Bool = false) -> CELType {
        if !isResourceRoot, let cached = cache[ObjectIdentifier(node)] { return cached }
        let built = build(node, isResourceRoot: isResourceRoot)
        if !isResourceRoot { cache[ObjectIdentifier(node)] = built }
        return built
    }

    private func build(_ node: SchemaNode, isResourceRoot: Bool) -> CELType {
        if node.intOrString { return .dyn }
        switch node.type {
        case "object":
            if let additional = node.additionalPropertiesSchema {
                return .map(.string, type(of: additional))
            }
            if node.preserveUnknownFields && node.properties.isEmpty && !node.embeddedResource { return .dyn }
            var fields: [String: CELType] = [:]
            var jsonNames: [String: String] = [:]
            for (name, property) in node.properties {
                guard let celName = Self.escape(name) else { continue }
                fields[celName] = type(of: property)
                jsonNames[celName] = name
            }
            if isResourceRoot || node.embeddedResource {
                // The server's own members are visible to rules, metadata only by name.
                for name in ["apiVersion", "kind"] where fields[name] == nil {
                    fields[name] = .string
                    jsonNames[name] = name
                }
                let metadata = ObjectType(name: "object", fields: ["name": .string, "generateName": .string],
                                          jsonNames: ["name": "name", "generateName": "generateName"])
                fields["metadata"] = .object(metadata)
                jsonNames["metadata"] = "metadata"
            }
            return .object(ObjectType(name: "object", fields: fields, jsonNames: jsonNames))
        case "array":
            return .list(node.items.map { type(of: $0) } ?? .dyn)
        case "string":
            switch node.format {
            case "date-time": return .timestamp
            case "duration": return .duration
            case "byte": return .bytes
            default: return .string
            }
        case "integer": return .int
        case "number": return .double
        case "boolean": return .bool
        default: return .dyn
        }
    }

    private static let reserved: Set<String> = [
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
        "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    /// A property's name in CEL (apiserver's `cel.Escape`): `__` becomes `__underscores__`, `.`
    /// `__dot__`, `-` `__dash__`, `/` `__slash__`, a keyword `__keyword__`; names with other
    /// characters are not accessible (nil).
    static func escape(_ name: String) -> String? {
        if reserved.contains(name) { return "__\(name)__" }
        guard let first = name.unicodeScalars.first,
              first.properties.isAlphabetic && first.isASCII || first == "_" || first == "." || first == "-" || first == "/",
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-/".unicodeScalars.contains($0)) })
        else { return nil }
        var escaped = ""
        var scalars = Array(name.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar == "_" && scalars.dropFirst().first == "_" {
                escaped += "__underscores__"
                scalars = scalars.dropFirst(2)
                continue
            }
            switch scalar {
            case ".": escaped += "__dot__"
            case "-": escaped += "__dash__"
            case "/": escaped += "__slash__"
            default: escaped.unicodeScalars.append(scalar)
            }
            scalars = scalars.dropFirst()
        }
        return escaped
    }
}

import KubeModel
import Yams

/// A YAML document that cannot be a Kubernetes object (aliases, non-string keys).
public struct YAMLConversionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// Converts a YAML node with the YAML 1.2 core schema rules that Kubernetes' YAML decoding uses.
    public init(yaml node: Node) throws {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
                self = .string(scalar.string)
                return
            }
            let text = scalar.string
            switch text {
            case "", "~", "null", "Null", "NULL": self = .null
            case "true", "True", "TRUE": self = .bool(true)
            case "false", "False", "FALSE": self = .bool(false)
            default:
                if let int = Int64(text) { self = .int(int) }
                else if text.hasPrefix("0x"), let int = Int64(text.dropFirst(2), radix: 16) { self = .int(int) }
                else if text.first.map({ $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" }) == true,
                        let double = Double(text), !text.contains("_") { self = .double(double) }
                else { self = .string(text) }
            }
        case .sequence(let sequence):
            self = .array(try sequence.map { try JSONValue(yaml: $0) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else { throw YAMLConversionError("YAML mapping keys must be strings") }
                object[keyScalar.string] = try JSONValue(yaml: value)
            }
            self = .object(object)
        case .alias:
            throw YAMLConversionError("YAML aliases are not supported")
        }
    }

    /// Every non-empty document of a multi-document YAML (or JSON) text.
    public static func documents(yaml text: String) throws -> [JSONValue] {
        try Yams.compose_all(yaml: text).compactMap { node in
            let value = try JSONValue(yaml: node)
            return value.isNull ? nil : value
        }
    }

    /// YAML with keys sorted, strings quoted where YAML would read them as something else:
    /// stable text for golden files and for people to read.
    public func yamlString() -> String {
        (try? Yams.serialize(node: yamlNode(), width: -1, sortKeys: true)) ?? ""
    }

    private func yamlNode() -> Node {
        switch self {
        case .null: return Node("null")
        case .bool(let b): return Node(b ? "true" : "false")
        case .int(let i): return Node(String(i))
        case .double(let d): return Node(String(d))
        case .string(let s):
            // Plain style when the text reads back as this same string, quoted otherwise.
            if let back = try? JSONValue(yaml: Node(s)), back == .string(s), !s.isEmpty {
                return Node(s)
            }
            return Node(s, Tag(.str), .doubleQuoted)
        case .array(let items): return Node(items.map { $0.yamlNode() })
        case .object(let fields):
            return Node(fields.keys.sorted().map { (Node($0), fields[$0]!.yamlNode()) })
        }
    }
}

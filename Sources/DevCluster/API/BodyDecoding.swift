import KubeModel
import KubeProtobuf
import Yams

/// Request bodies: JSON, or YAML where the content type says so (apply patches, hand-written requests).
enum BodyDecoding {
    static func decode(_ bytes: [UInt8], contentType: String?) throws(APIStatus) -> JSONValue {
        let type = (contentType ?? "application/json").lowercased()
        if type.hasPrefix("application/vnd.kubernetes.protobuf") {
            // client-go's typed clients always send built-in kinds this way.
            do {
                return try KubeProtobuf.decode(bytes)
            } catch {
                if error.code == .unsupportedKind {
                    throw APIStatus(message: "the body of the request was in an unknown format - \(error.message)",
                                    reason: "UnsupportedMediaType", code: 415)
                }
                throw APIErrors.badRequest("the object provided is unrecognized: \(error.message)")
            }
        }
        if type.contains("yaml") {
            return try decodeYAML(String(decoding: bytes, as: UTF8.self))
        }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            // JSON is YAML; a YAML body sent as JSON is still an error, as on the real server.
            throw APIErrors.badRequest("the object provided is unrecognized: \(error.description)")
        }
    }

    static func decodeYAML(_ text: String) throws(APIStatus) -> JSONValue {
        do {
            guard let node = try Yams.compose(yaml: text) else { return .object([:]) }
            return try JSONValue(yaml: node)
        } catch let status as APIStatus {
            throw status
        } catch {
            throw APIErrors.badRequest("error converting YAML to JSON: \(error)")
        }
    }
}

extension JSONValue {
    /// Converts a YAML node with the YAML 1.2 core schema rules that Kubernetes' YAML decoding uses.
    init(yaml node: Node) throws {
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
                guard case .scalar(let keyScalar) = key else { throw APIErrors.badRequest("YAML mapping keys must be strings") }
                object[keyScalar.string] = try JSONValue(yaml: value)
            }
            self = .object(object)
        case .alias:
            throw APIErrors.badRequest("YAML aliases are not supported")
        }
    }
}

import Foundation
import KubeModel
import APIMachinery
import KubeProtobuf
import Yams

/// Request bodies: JSON, or YAML where the content type says so (apply patches, hand-written requests).
enum BodyDecoding {
    /// What create, update and the other body-carrying verbs accept, as kube-apiserver does.
    static let mediaTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    static func decode(_ bytes: [UInt8], contentType: String?) throws(APIStatus) -> JSONValue {
        let type = (contentType ?? "application/json").lowercased()
        let base = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard base.isEmpty || mediaTypes.contains(base) else {
            throw APIErrors.unsupportedBodyType(mediaTypes)
        }
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
        if base == "application/yaml" {
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

import Foundation
import KubeModel
import APIMachinery

/// Secrets default to `Opaque`; `stringData` is folded into base64 `data` on write, as the real
/// server does, and `data` values must be base64.
struct SecretStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        object.setDefault(["type"], "Opaque")
        if let stringData = object["stringData"]?.objectValue {
            var data = object["data"]?.objectValue ?? [:]
            for (key, value) in stringData {
                data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
            }
            object["data"] = .object(data)
            object["stringData"] = nil
        }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in object["data"]?.objectValue ?? [:] {
            if let text = value.stringValue, Data(base64Encoded: text) == nil {
                errors.append(FieldError(kind: .invalid, field: "data[\(key)]", badValue: nil,
                                         detail: "illegal base64 data"))
            }
        }
        return errors
    }
}

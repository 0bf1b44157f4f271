import KubeModel

/// The `caBundle` of the MutatingWebhookConfiguration: the API server trusts the webhook's
/// serving certificate only through it, so the controller keeps it equal to the control-plane CA.
public enum WebhookCABundle {
    /// The bundle as the API stores it (`caBundle` is `[]byte`: base64 of the PEM).
    public static func encode(pem: String) -> String { Base64.encode(Array(pem.utf8)) }

    /// JSON Patch operations that set `caBundle` on every webhook of `configuration` whose value
    /// differs; empty when all match. Each write is guarded by a `test` of the webhook's name at
    /// that index, so a concurrent edit that reorders the list fails the patch instead of
    /// writing the bundle into someone else's webhook; the patch touches nothing else, so Helm
    /// and `kubectl apply` keep owning every other field.
    public static func operations(for configuration: JSONValue, caBundle: String) -> [JSONValue] {
        var operations: [JSONValue] = []
        for (index, webhook) in (configuration["webhooks"]?.arrayValue ?? []).enumerated() {
            guard let name = webhook["name"]?.stringValue, webhook["clientConfig"]?.objectValue != nil,
                  webhook[path: ["clientConfig", "caBundle"]]?.stringValue != caBundle else { continue }
            operations.append(["op": "test", "path": .string("/webhooks/\(index)/name"), "value": .string(name)])
            operations.append(["op": "add", "path": .string("/webhooks/\(index)/clientConfig/caBundle"), "value": .string(caBundle)])
        }
        return operations
    }
}

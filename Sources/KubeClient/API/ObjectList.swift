import KubeModel

/// One page of a list: the items, the collection's resourceVersion, and the token for the next page.
public struct ObjectList: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: String
    public var continueToken: String?
    public var remainingItemCount: Int?

    public init(items: [JSONValue], resourceVersion: String, continueToken: String? = nil, remainingItemCount: Int? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }

    /// Reads a `…List` response. Items of a list carry no `apiVersion`/`kind`; they are filled in
    /// from the descriptor so that every object handed out is self-describing.
    init(json: JSONValue, descriptor: ResourceDescriptor) throws {
        guard let object = json.objectValue else { throw KubeClientError.malformedResponse("a list response is not a JSON object") }
        let apiVersion = JSONValue.string(descriptor.apiVersion)
        let kind = JSONValue.string(descriptor.kind)
        items = (object["items"]?.arrayValue ?? []).map { item in
            guard case .object(var fields) = item else { return item }
            if fields["apiVersion"] == nil { fields["apiVersion"] = apiVersion }
            if fields["kind"] == nil { fields["kind"] = kind }
            return .object(fields)
        }
        let metadata = object["metadata"]
        resourceVersion = metadata?["resourceVersion"]?.stringValue ?? ""
        continueToken = metadata?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        remainingItemCount = metadata?["remainingItemCount"]?.intValue.map { Int($0) }
    }
}

/// Client-side failures that are neither transport nor API errors.
public struct KubeClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public static func malformedResponse(_ message: String) -> KubeClientError { KubeClientError("malformed response: \(message)") }
    public var description: String { message }
}

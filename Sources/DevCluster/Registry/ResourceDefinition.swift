import KubeModel
import APIMachinery

/// Everything the server needs to know to serve one resource at one version:
/// discovery fields, scope, subresources, storage identity and, for custom resources, the schema.
public struct ResourceDefinition: Sendable {
    public var group: String
    public var version: String
    /// Plural, lower-case: `deployments`.
    public var resource: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String] = []
    public var categories: [String] = []
    public var verbs: [String] = ResourceDefinition.allVerbs
    public var hasStatus: Bool = false
    /// Set when the resource serves a `scale` subresource.
    public var scale: ScaleSubresource?
    /// Whether `metadata.generation` is maintained (bumped on changes outside metadata and status).
    public var tracksGeneration: Bool = false
    public var isCustom: Bool = false
    /// The version objects are stored at; other served versions are converted by rewriting apiVersion
    /// (the CRD `conversion.strategy: None` behaviour).
    public var storageVersion: String
    public var schema: StructuralSchema?
    /// The CRD version's `openAPIV3Schema` as written, published in the OpenAPI documents.
    public var openAPISchema: JSONValue?
    public var printerColumns: [TableColumn] = []
    public var patchStrategies: PatchStrategies = .none
    /// Create-only kinds (TokenReview) are answered, never stored.
    public var isVirtual: Bool = false

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public init(group: String, version: String, resource: String, singular: String, kind: String,
                namespaced: Bool, storageVersion: String? = nil) {
        self.group = group
        self.version = version
        self.resource = resource
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.storageVersion = storageVersion ?? version
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var gvk: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public var gvr: GroupVersionResource { GroupVersionResource(group: group, version: version, resource: resource) }
    /// `deployments.apps`, or `pods` for the core group: how errors name a resource.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// Storage is shared by every version of a resource.
    public var storageKey: StorageKey { StorageKey(group: group, resource: resource) }
    public var listKind: String { "\(kind)List" }
}

/// A column of `kubectl get` output (CRD `additionalPrinterColumns`, or a built-in kind's): what
/// the Table's column definition shows and how a row's cell is made — a JSONPath
/// (`APIMachinery.PrinterColumn`), or, for built-in kinds whose columns summarise (READY `1/2`,
/// PORT(S) `80/TCP`), a function of the object.
public struct TableColumn: Sendable {
    public enum Source: Sendable {
        case path(APIMachinery.PrinterColumn)
        case computed(@Sendable (JSONValue) -> JSONValue)
    }

    public var name: String
    public var type: String
    public var source: Source
    public var format: String
    public var description: String
    public var priority: Int

    public init(_ name: String, type: String, format: String = "", description: String = "", priority: Int = 0,
                jsonPath: String) throws(SchemaError) {
        self.name = name
        self.type = type
        source = .path(try APIMachinery.PrinterColumn(name: name, type: type, jsonPath: jsonPath))
        self.format = format
        self.description = description
        self.priority = priority
    }

    public init(_ name: String, type: String = "string", priority: Int = 0, description: String = "",
                computed: @escaping @Sendable (JSONValue) -> JSONValue) {
        self.name = name
        self.type = type
        source = .computed(computed)
        format = ""
        self.description = description
        self.priority = priority
    }

    /// The cell of this column for `object`; `now` (RFC 3339) dates ages.
    public func cell(for object: JSONValue, now: String) -> JSONValue {
        switch source {
        case .path(let column): return column.cell(for: object, now: now)
        case .computed(let compute): return compute(object)
        }
    }
}

/// Identifies a stored collection independent of version.
public struct StorageKey: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

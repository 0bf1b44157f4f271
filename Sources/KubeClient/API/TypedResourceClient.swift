import Foundation
import KubeModel

/// A Swift type that maps to one Kubernetes resource.
public protocol KubeResource: Codable, Sendable {
    static var descriptor: ResourceDescriptor { get }
}

/// Converts between typed values and the JSON the API speaks.
public enum KubeCoding {
    /// A typed value as the JSON the API receives.
    public static func encode<Object: Encodable>(_ object: Object) throws -> JSONValue {
        try JSONValueEncoder().encode(object)
    }

    /// The API's JSON as a typed value.
    public static func decode<Object: Decodable>(_ type: Object.Type, from json: JSONValue) throws -> Object {
        do {
            return try JSONValueDecoder().decode(type, from: json)
        } catch {
            throw KubeClientError("cannot decode \(Object.self) from the server's answer: \(error)")
        }
    }
}

/// Verbs on one resource with typed objects; a thin layer over `DynamicResourceClient`.
public struct TypedResourceClient<Object: KubeResource>: Sendable {
    public let dynamic: DynamicResourceClient

    public init(dynamic: DynamicResourceClient) { self.dynamic = dynamic }

    /// Reads one object.
    public func get(_ name: String, namespace: String? = nil) async throws -> Object {
        try KubeCoding.decode(Object.self, from: try await dynamic.get(name, namespace: namespace))
    }

    /// One page of objects.
    public func list(namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> (items: [Object], resourceVersion: String, continueToken: String?) {
        let page = try await dynamic.list(namespace: namespace, options: options)
        return (try page.items.map { try KubeCoding.decode(Object.self, from: $0) }, page.resourceVersion, page.continueToken)
    }

    /// Creates an object; returns it as stored.
    public func create(_ object: Object, namespace: String? = nil, options: WriteOptions = WriteOptions()) async throws -> Object {
        try KubeCoding.decode(Object.self, from: try await dynamic.create(try KubeCoding.encode(object), namespace: namespace, options: options))
    }

    /// Replaces an object (compare-and-swap on its resourceVersion).
    public func update(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try KubeCoding.decode(Object.self, from: try await dynamic.update(try KubeCoding.encode(object), options: options))
    }

    /// Replaces `status` through the status subresource.
    public func updateStatus(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        try KubeCoding.decode(Object.self, from: try await dynamic.updateStatus(try KubeCoding.encode(object), options: options))
    }

    /// Patches an object or one of its subresources.
    public func patch(_ name: String, namespace: String? = nil, kind: PatchKind, patch: JSONValue, subresource: String? = nil,
                      options: WriteOptions = WriteOptions()) async throws -> Object {
        try KubeCoding.decode(Object.self, from: try await dynamic.patch(name, namespace: namespace, kind: kind, patch: patch,
                                                                       subresource: subresource, options: options))
    }

    /// Deletes an object.
    public func delete(_ name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()) async throws {
        try await dynamic.delete(name, namespace: namespace, options: options)
    }
}

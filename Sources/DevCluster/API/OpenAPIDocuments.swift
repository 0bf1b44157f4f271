import KubeModel

/// OpenAPI v3 documents, one per group version, as `/openapi/v3` indexes them.
///
/// kubectl reads them to decide whether the server validates fields itself (the `fieldValidation`
/// query parameter on each kind's PATCH operation): when it does, kubectl sends
/// `fieldValidation=Strict` and leaves validation to the server, which is what the CRD schemas here
/// enforce. Strategic merge patch is deliberately not advertised, so kubectl computes built-in
/// patches from its own compiled-in patch metadata.
enum OpenAPIDocuments {
    static func index(_ registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for (group, versions) in registry.groupVersions {
            for version in versions {
                let key = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                let hash = contentHash(document(group: group, version: version, registry: registry))
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash)")]
            }
        }
        return ["paths": .object(paths)]
    }

    static func contentHash(_ value: JSONValue) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in value.serialized() { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let hex = String(hash, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func document(group: String, version: String, registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [:]
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        for definition in registry.resources(group: group, version: version) {
            let schemaName = schemaName(definition)
            schemas[schemaName] = schema(definition)
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(definition.kind)]
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName)")]
            let body: JSONValue = ["content": ["application/json": ["schema": ref]]]
            let collection = definition.namespaced ? "\(prefix)/namespaces/{namespace}/\(definition.resource)" : "\(prefix)/\(definition.resource)"
            func op(_ action: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
                var operation: [String: JSONValue] = [
                    "operationId": .string("\(action)\(definition.kind)"),
                    "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk,
                    "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]],
                ]
                operation.merge(extra) { _, new in new }
                return .object(operation)
            }
            let writeParameters: [JSONValue] = ["dryRun", "fieldManager", "fieldValidation"].map {
                ["name": .string($0), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
            }
            if definition.isVirtual {
                paths[collection] = ["post": op("post", ["requestBody": body, "parameters": .array(writeParameters)])]
                continue
            }
            paths[collection] = ["get": op("list"), "post": op("post", ["requestBody": body, "parameters": .array(writeParameters)])]
            let patchContent: JSONValue = ["content": [
                "application/json-patch+json": ["schema": ["type": "object"]],
                "application/merge-patch+json": ["schema": ["type": "object"]],
                "application/apply-patch+yaml": ["schema": ["type": "object"]],
            ]]
            let patchParameters = writeParameters + [["name": "force", "in": "query", "schema": ["type": "boolean"]]]
            paths["\(collection)/{name}"] = [
                "get": op("get"),
                "put": op("put", ["requestBody": body, "parameters": .array(writeParameters)]),
                "patch": op("patch", ["requestBody": patchContent, "parameters": .array(patchParameters)]),
                "delete": op("delete"),
            ]
            if definition.hasStatus {
                paths["\(collection)/{name}/status"] = [
                    "get": op("get"),
                    "put": op("put", ["requestBody": body, "parameters": .array(writeParameters)]),
                    "patch": op("patch", ["requestBody": patchContent, "parameters": .array(patchParameters)]),
                ]
            }
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
                "paths": .object(paths), "components": ["schemas": .object(schemas)]]
    }

    static func schemaName(_ definition: ResourceDefinition) -> String {
        let group = definition.group.isEmpty ? "core" : definition.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(group).\(definition.version).\(definition.kind)"
    }

    /// CRDs publish their schema with the type meta added; built-in kinds an open object.
    static func schema(_ definition: ResourceDefinition) -> JSONValue {
        let gvk: JSONValue = [["group": .string(definition.group), "version": .string(definition.version),
                               "kind": .string(definition.kind)]]
        var schema: JSONValue = definition.openAPISchema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."]
        properties["kind"] = ["type": "string", "description": "Kind is a string value representing the REST resource this object represents."]
        properties["metadata"] = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        schema["properties"] = .object(properties)
        schema["x-kubernetes-group-version-kind"] = gvk
        return schema
    }
}

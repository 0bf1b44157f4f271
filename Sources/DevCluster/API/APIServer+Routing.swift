import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    /// Answers one HTTP request: discovery, OpenAPI, health, or a resource verb.
    public func handle(_ request: APIRequest, serverAddress: String = "127.0.0.1") -> APIResponse {
        do {
            return try route(request, serverAddress: serverAddress)
        } catch {
            return .failure(error)
        }
    }

    private func route(_ request: APIRequest, serverAddress: String) throws(APIStatus) -> APIResponse {
        let path = request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        switch path {
        case "/version": return .json(200, Discovery.serverVersion)
        case "/healthz", "/livez", "/readyz":
            return .body(status: 200, contentType: "text/plain; charset=utf-8", bytes: Array("ok".utf8), warnings: [])
        case "/api": return .json(200, Discovery.coreVersions(serverAddress: serverAddress))
        case "/apis": return .json(200, Discovery.groupList(registry))
        case "/openapi/v3": return .json(200, OpenAPIDocuments.index(registry))
        case "/openapi/v2":
            // No v2 schemas are published (kubectl reads v3). An empty document — zero bytes in the
            // protobuf encoding kubectl asks for — lets clients that fall back to v2 find nothing
            // rather than fail, as for a kind the server does not describe.
            if request.headers["accept"]?.contains("protobuf") == true {
                return .body(status: 200, contentType: "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", bytes: [], warnings: [])
            }
            return .json(200, ["swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": [:]])
        default: break
        }
        if path.hasPrefix("/openapi/v3/") {
            let key = String(path.dropFirst("/openapi/v3/".count))
            let parts = key.split(separator: "/").map(String.init)
            let (group, version): (String, String)
            if parts.count == 2, parts[0] == "api" { (group, version) = ("", parts[1]) }
            else if parts.count == 3, parts[0] == "apis" { (group, version) = (parts[1], parts[2]) }
            else { throw APIErrors.unknownPath }
            guard !registry.resources(group: group, version: version).isEmpty else { throw APIErrors.unknownPath }
            return .json(200, OpenAPIDocuments.document(group: group, version: version, registry: registry))
        }
        let parts = path.split(separator: "/").map(String.init)
        if request.method == "GET" {
            if parts.count == 2, parts[0] == "api" {
                guard let list = Discovery.resourceList(group: "", version: parts[1], registry: registry) else { throw APIErrors.unknownPath }
                return .json(200, list)
            }
            if parts.count == 2, parts[0] == "apis" {
                guard let entry = registry.groupVersions.first(where: { $0.group == parts[1] }) else { throw APIErrors.unknownPath }
                return .json(200, Discovery.groupDocument(entry.group, versions: entry.versions, registry: registry))
            }
            if parts.count == 3, parts[0] == "apis" {
                guard let list = Discovery.resourceList(group: parts[1], version: parts[2], registry: registry) else { throw APIErrors.unknownPath }
                return .json(200, list)
            }
        }
        let info = RequestInfo(method: request.method, path: path, query: request.query)
        guard info.isResourceRequest,
              let definition = registry.lookup(group: info.group, version: info.version, resource: info.resource) else {
            throw APIErrors.unknownPath
        }
        return try serve(info, definition, request)
    }

    private func serve(_ info: RequestInfo, _ definition: ResourceDefinition, _ request: APIRequest) throws(APIStatus) -> APIResponse {
        if let subresource = info.subresource {
            if subresource == "token", definition.group.isEmpty, definition.resource == "serviceaccounts", info.verb == .create {
                let body = try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
                return .json(201, try requestToken(namespace: info.namespace ?? "", serviceAccount: info.name ?? "", body: body))
            }
            if subresource == "scale", definition.scale != nil {
                return try serveScale(info, definition, request)
            }
            let allowed = (subresource == "status" && definition.hasStatus)
                || (subresource == "finalize" && definition.resource == "namespaces" && definition.group.isEmpty)
            guard allowed else { throw APIErrors.unknownPath }
        }
        let subresource = info.subresource == "finalize" ? "finalize" : info.subresource
        let namespace = info.namespace
        let accept = request.headers["accept"]
        if definition.isVirtual {
            guard info.verb == .create else { throw APIErrors.methodNotAllowed() }
            let body = try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            return .json(201, try answerVirtual(definition, body: body))
        }
        switch info.verb {
        case .get:
            try ReadOptions(getQuery: request.query).checkReached(store.currentRevision)
            let object = try get(definition, namespace: namespace, name: info.name ?? "")
            if TableConverter.wantsTable(accept) {
                return .json(200, TableConverter.table(definition, objects: [object],
                                                       listMetadata: ["resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? ""],
                                                       includeObject: request.query["includeObject"] ?? "Metadata", now: clock()))
            }
            return .json(200, object)
        case .list:
            let list = try self.list(definition, namespace: namespace, query: request.query)
            if TableConverter.wantsTable(accept) {
                return .json(200, TableConverter.table(definition, objects: list["items"]?.arrayValue ?? [],
                                                       listMetadata: list["metadata"] ?? [:],
                                                       includeObject: request.query["includeObject"] ?? "Metadata", now: clock()))
            }
            return .json(200, list)
        case .watch:
            return .watch(try watchPlan(definition, namespace: namespace, name: info.name, request: request))
        case .create:
            guard info.name == nil else { throw APIErrors.methodNotAllowed() }
            let options = try WriteOptions(.create, query: request.query, userAgent: request.headers["user-agent"])
            let body = try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            let result = try create(definition, namespace: namespace, body: body, options: options)
            return .json(201, result.object, warnings: result.warnings)
        case .update:
            let options = try WriteOptions(.update, query: request.query, userAgent: request.headers["user-agent"])
            let body = try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            if subresource == "finalize" {
                return .json(200, try finalizeNamespace(name: info.name ?? "", body: body))
            }
            let result = try update(definition, namespace: namespace, name: info.name ?? "", body: body,
                                    subresource: subresource, options: options)
            return .json(200, result.object, warnings: result.warnings)
        case .patch:
            guard let type = PatchType(contentType: request.headers["content-type"]) else {
                throw APIErrors.unsupportedMediaType(request.headers["content-type"] ?? "")
            }
            let options = try WriteOptions(.patch, query: request.query, userAgent: request.headers["user-agent"], isApply: type == .apply)
            let result = try patch(definition, namespace: namespace, name: info.name ?? "", type: type, body: request.body,
                                   subresource: subresource, options: options)
            return .json(result.created ? 201 : 200, result.object, warnings: result.warnings)
        case .delete:
            let body = request.body.isEmpty ? nil : try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            let options = try DeleteOptions(body: body, query: request.query)
            let (object, removed) = try delete(definition, namespace: namespace, name: info.name ?? "", options: options)
            if removed, !definition.isCustom {
                let status = APIStatus(status: "Success", message: nil, reason: nil,
                                       details: .init(name: info.name, group: definition.group.isEmpty ? nil : definition.group,
                                                      kind: definition.resource, uid: object[path: ["metadata", "uid"]]?.stringValue),
                                       code: 200)
                var json = status.json
                json["code"] = nil
                return .json(200, json)
            }
            return .json(200, object)
        case .deletecollection:
            let body = request.body.isEmpty ? nil : try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            let options = try DeleteOptions(body: body, query: request.query)
            return .json(200, try deleteCollection(definition, namespace: namespace, query: request.query, options: options))
        }
    }

    func watchPlan(_ definition: ResourceDefinition, namespace: String?, name: String?,
                   request: APIRequest) throws(APIStatus) -> WatchPlan {
        let matches = try predicate(definition, query: request.query, name: name)
        let read = try ReadOptions(listQuery: request.query, watch: true)
        let initialEvents = request.query["sendInitialEvents"] == "true"
        var since: UInt64?
        if case .notOlderThan(let revision) = read.consistency, !initialEvents {
            since = revision
        }
        let timeout = request.query["timeoutSeconds"].flatMap { Int64($0) }
        return WatchPlan(server: self, definition: definition, namespace: namespace, matches: matches, since: since,
                         sendsBookmarks: request.query["allowWatchBookmarks"] == "true",
                         sendInitialEventsEnd: initialEvents, timeoutSeconds: timeout,
                         asTable: TableConverter.wantsTable(request.headers["accept"]),
                         includeObject: request.query["includeObject"] ?? "Metadata")
    }
}

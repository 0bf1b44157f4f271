/// What a request path and method address, parsed as the API server's RequestInfoFactory does.
struct RequestInfo: Equatable {
    enum Verb: String { case get, list, watch, create, update, patch, delete, deletecollection }

    var isResourceRequest: Bool
    var group = ""
    var version = ""
    var namespace: String?
    var resource = ""
    var name: String?
    var subresource: String?
    var verb: Verb = .get
    var path: String

    /// `/api/v1/namespaces/ns/pods/name/status`, `/apis/apps/v1/deployments`, `/api/v1/watch/pods`, …
    init(method: String, path: String, query: [String: String]) {
        self.path = path
        isResourceRequest = false
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first else { return }
        if prefix == "api" {
            guard parts.count >= 3 else { return }
            version = parts[1]
            parts.removeFirst(2)
        } else if prefix == "apis" {
            guard parts.count >= 4 else { return }
            group = parts[1]
            version = parts[2]
            parts.removeFirst(3)
        } else {
            return
        }
        var isWatchPath = false
        if parts.first == "watch" {
            isWatchPath = true
            parts.removeFirst()
            guard !parts.isEmpty else { return }
        }
        if parts.first == "namespaces", parts.count > 1 {
            namespace = parts[1]
            if parts.count > 2, parts[2] != "status", parts[2] != "finalize" {
                parts.removeFirst(2)
            }
        }
        guard !parts.isEmpty, parts.count <= 3 else { return }
        resource = parts[0]
        if parts.count > 1 { name = parts[1] }
        if parts.count > 2 { subresource = parts[2] }
        if resource == "namespaces" {
            // A namespace's own namespace is not a scope.
            namespace = nil
        }
        isResourceRequest = true
        let wantsWatch = isWatchPath || query["watch"] == "true" || query["watch"] == "1"
        switch method {
        case "GET", "HEAD":
            if name == nil { verb = wantsWatch ? .watch : .list } else { verb = wantsWatch ? .watch : .get }
        case "POST": verb = .create
        case "PUT": verb = .update
        case "PATCH": verb = .patch
        case "DELETE": verb = name == nil ? .deletecollection : .delete
        default: isResourceRequest = false
        }
    }
}

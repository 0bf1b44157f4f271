/// Options of list and watch calls, named as the API's query parameters.
public struct ListOptions: Sendable, Equatable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the server returns a `continue` token when more remain.
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    /// `NotOlderThan` or `Exact` with `resourceVersion`.
    public var resourceVersionMatch: String?
    public var allowWatchBookmarks: Bool
    /// Server-side limit on a watch's duration.
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
                resourceVersion: String? = nil, resourceVersionMatch: String? = nil, allowWatchBookmarks: Bool = false,
                timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// Options of create, update and patch.
public struct WriteOptions: Sendable, Equatable {
    /// Recorded in `managedFields`; required for server-side apply.
    public var fieldManager: String?
    public var dryRun: Bool
    /// `Strict` rejects unknown or duplicate fields instead of dropping them.
    public var fieldValidation: String?

    public init(fieldManager: String? = nil, dryRun: Bool = false, fieldValidation: String? = nil) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation)) }
        return items
    }
}

/// `meta.k8s.io/v1` DeleteOptions.
public struct DeleteOptions: Sendable, Equatable {
    public enum PropagationPolicy: String, Sendable {
        case orphan = "Orphan", background = "Background", foreground = "Foreground"
    }

    /// Delete only if the object still has this UID / resourceVersion (else 409 Conflict).
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var propagationPolicy: PropagationPolicy?
    public var gracePeriodSeconds: Int?
    public var dryRun: Bool

    public init(preconditionUID: String? = nil, preconditionResourceVersion: String? = nil,
                propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }
}

/// The kinds of PATCH the API accepts, with their content types.
public enum PatchKind: Sendable, Equatable {
    /// RFC 7386 JSON merge patch.
    case merge
    /// RFC 6902 JSON patch (a list of operations).
    case json
    /// Strategic merge patch (built-in types only).
    case strategicMerge
    /// Server-side apply: the object as this field manager wants it; `force` takes fields owned by others.
    case apply(fieldManager: String, force: Bool)

    public var contentType: String {
        switch self {
        case .merge: return "application/merge-patch+json"
        case .json: return "application/json-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        case .apply: return "application/apply-patch+yaml"
        }
    }
}

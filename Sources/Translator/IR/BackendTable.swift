import ProxyConfig

/// The backends one data plane's configuration names, each built once however many rules use it.
struct BackendTable {
    private(set) var backends: [String: Backend] = [:]

    mutating func add(_ backend: Backend) {
        if backends[backend.name] == nil { backends[backend.name] = backend }
    }

    /// Sorted by name, so equal inputs give byte-identical configurations.
    var sorted: [Backend] { backends.keys.sorted().map { backends[$0]! } }
}

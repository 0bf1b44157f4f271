import KubeModel
import APIMachinery

/// What a GET, LIST or WATCH asks of `resourceVersion`: the real server's `ListOptions` rules
/// (422 on the option kind), a malformed version (400), and a version newer than anything
/// stored (504 `Too large resource version`, which client-go retries).
struct ReadOptions {
    enum Consistency: Equatable {
        /// No version: the latest state.
        case latest
        /// `0`: any state the server has.
        case any
        /// A version with no match, or `NotOlderThan`: at least this fresh.
        case notOlderThan(UInt64)
        /// `Exact`: the state at precisely this version.
        case exact(UInt64)
    }

    var consistency: Consistency

    init(consistency: Consistency) { self.consistency = consistency }

    /// A LIST (`watch` false) or WATCH request's options.
    init(listQuery query: [String: String], watch: Bool) throws(APIStatus) {
        let version = query["resourceVersion"] ?? ""
        let match = query["resourceVersionMatch"] ?? ""
        let continuing = !(query["continue"] ?? "").isEmpty
        let sendInitialEvents = query["sendInitialEvents"]
        var errors: [FieldError] = []
        if watch {
            if sendInitialEvents != nil, match != "NotOlderThan" {
                errors.append(.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
            }
            if !match.isEmpty {
                if sendInitialEvents == nil {
                    errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
                }
                if match != "NotOlderThan" {
                    errors.append(.notSupported("resourceVersionMatch", .string(match), supported: ["NotOlderThan"]))
                }
                if continuing {
                    errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
                }
            }
        } else {
            if !match.isEmpty {
                if version.isEmpty {
                    errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
                }
                if continuing {
                    errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
                }
                if match != "Exact", match != "NotOlderThan" {
                    errors.append(.notSupported("resourceVersionMatch", .string(match), supported: ["Exact", "NotOlderThan", ""]))
                }
                if match == "Exact", version == "0" {
                    errors.append(.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""))
                }
            }
            if sendInitialEvents != nil {
                errors.append(.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
            }
        }
        guard errors.isEmpty else { throw OptionsErrors.invalid("ListOptions", errors) }
        for name in ["limit", "timeoutSeconds"] { try Self.parseInteger(query[name]) }
        let revision = try Self.parse(version)
        switch (revision, match) {
        case (nil, _): consistency = .latest
        case (0?, _): consistency = .any
        case (let rv?, "Exact"): consistency = .exact(rv)
        case (let rv?, _): consistency = .notOlderThan(rv)
        }
    }

    /// A GET's options: only a version (not older than), no match.
    init(getQuery query: [String: String]) throws(APIStatus) {
        switch try Self.parse(query["resourceVersion"] ?? "") {
        case nil: consistency = .latest
        case 0?: consistency = .any
        case let rv?: consistency = .notOlderThan(rv)
        }
    }

    /// nil for no version; a version that is not an unsigned decimal is the storage layer's 400.
    static func parse(_ version: String) throws(APIStatus) -> UInt64? {
        if version.isEmpty { return nil }
        guard let revision = UInt64(version) else {
            let reason = version.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? "value out of range" : "invalid syntax"
            throw APIErrors.badRequest("invalid resource version: resourceVersion: Invalid value: \(GoQuote.quote(version)): strconv.ParseUint: parsing \(GoQuote.quote(version)): \(reason)")
        }
        return revision
    }

    /// Integer parameters are decoded before anything else looks at them; one that is not a
    /// number fails that decoding (a 400 with Go's parse error), it is not ignored.
    static func parseInteger(_ text: String?) throws(APIStatus) {
        guard let text, !text.isEmpty, Int64(text) == nil else { return }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let reason = !digits.isEmpty && digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) ? "value out of range" : "invalid syntax"
        throw APIErrors.badRequest("strconv.ParseInt: parsing \(GoQuote.quote(text)): \(reason)")
    }

    /// A version the store has not reached yet: the watch cache gives up waiting with this 504.
    func checkReached(_ current: UInt64) throws(APIStatus) {
        let wanted: UInt64
        switch consistency {
        case .latest, .any: return
        case .notOlderThan(let rv), .exact(let rv): wanted = rv
        }
        guard wanted > current else { return }
        throw APIStatus(message: "Timeout: Too large resource version: \(wanted), current: \(current)", reason: "Timeout",
                        details: .init(causes: [.init(reason: "ResourceVersionTooLarge", message: "Too large resource version")],
                                       retryAfterSeconds: 1),
                        code: 504)
    }
}

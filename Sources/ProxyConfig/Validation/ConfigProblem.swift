/// One thing wrong with a `ProxyConfig`, located by its field path
/// (`listeners[0].virtualHosts[0].routes[2].rules[0].matches[0].path.value`).
public struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; two problems of the same kind at the same path are the same problem.
    public enum Reason: String, Hashable, Sendable {
        /// A field that must be set is missing or empty.
        case required
        /// A value breaks the field's format or rules.
        case invalid
        /// A number outside its allowed range.
        case outOfRange
        /// A name, port or hostname that must be unique is repeated.
        case duplicate
        /// A reference to a backend the snapshot does not define.
        case unknownReference
        /// A combination of fields the proxy or the Gateway API does not allow.
        case conflict
    }

    public var path: String
    public var reason: Reason
    public var message: String

    public init(path: String, reason: Reason, message: String) {
        self.path = path
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Thrown by `ProxyConfig.compile()` when the snapshot is not valid; it carries every problem.
public struct InvalidConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var version: String
    public var problems: [ConfigProblem]

    public init(version: String, problems: [ConfigProblem]) {
        self.version = version
        self.problems = problems
    }

    public var description: String {
        "config version \"\(version)\" has \(problems.count) problem(s):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// `metav1.Condition`: one aspect of an object's state, as controllers report it in `status`.
public struct Condition: Codable, Hashable, Sendable {
    public var type: String
    /// `"True"`, `"False"` or `"Unknown"`.
    public var status: String
    public var reason: String
    public var message: String
    /// RFC 3339; changes only when `status` changes (see `ConditionMerge`).
    public var lastTransitionTime: String
    public var observedGeneration: Int64?

    public init(
        type: String, status: ConditionStatus, reason: String, message: String, observedGeneration: Int64?,
        lastTransitionTime: String = ""
    ) {
        self.type = type
        self.status = status.rawValue
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }

    enum CodingKeys: String, CodingKey { case type, status, reason, message, lastTransitionTime, observedGeneration }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? "Unknown"
        reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        lastTransitionTime = try c.decodeIfPresent(String.self, forKey: .lastTransitionTime) ?? ""
        observedGeneration = try c.decodeIfPresent(Int64.self, forKey: .observedGeneration)
    }

    public var isTrue: Bool { status == ConditionStatus.true.rawValue }
}

public enum ConditionStatus: String, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"

    public init(_ value: Bool) { self = value ? .true : .false }
}

extension Array where Element == Condition {
    /// The condition of this type, if present.
    public subscript(type type: String) -> Condition? { first { $0.type == type } }
}

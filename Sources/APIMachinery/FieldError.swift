import KubeModel

/// A field-level validation error, as `k8s.io/apimachinery/pkg/util/validation/field.Error`.
///
/// `kind.rawValue` is the `reason` of a Status cause, `field` its `field`, and `causeMessage`
/// its `message`; `message` is the line that goes into an Invalid status's message.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooShort = "FieldValueTooShort"
        case tooMany = "FieldValueTooMany"
        case tooFew = "FieldValueTooFew"
        case duplicate = "FieldValueDuplicate"
        case typeInvalid = "FieldValueTypeInvalid"
        case notFound = "FieldValueNotFound"
        case internalError = "InternalError"

        /// The human words Kubernetes prints for the kind ("Invalid value", "Required value", ...).
        public var words: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid, .typeInvalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooShort: return "Too short"
            case .tooMany: return "Too many"
            case .tooFew: return "Too few"
            case .internalError: return "Internal error"
            }
        }

        /// Kinds whose message never shows the bad value.
        var omitsValue: Bool {
            switch self {
            case .required, .forbidden, .tooLong, .tooShort, .internalError: return true
            default: return false
            }
        }
    }

    public var kind: Kind
    /// The field path, e.g. `spec.ports[0].port`; `<nil>` where Kubernetes has no path.
    public var field: String
    /// The offending value; `nil` leaves it out of the message.
    public var badValue: JSONValue?
    public var detail: String
    /// The bad value as Go prints a value that is not JSON (a struct, with `%#v`); when set it is
    /// shown instead of `badValue`.
    public var renderedValue: String?

    public init(kind: Kind, field: String, badValue: JSONValue? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    /// The message without the field, as `field.Error.ErrorBody()`:
    /// `Invalid value: 200: spec.replicas in body should be less than or equal to 100`.
    public var causeMessage: String {
        var text = kind.words
        if !kind.omitsValue, let renderedValue {
            text += ": " + renderedValue
        } else if !kind.omitsValue, let badValue {
            text += ": " + GoFormatting.badValue(badValue)
        }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    /// `field: causeMessage`, as `field.Error.Error()`.
    public var message: String { "\(field): \(causeMessage)" }
    public var description: String { message }

    /// The Status cause the API server reports for this error.
    public var cause: APIStatus.Cause {
        APIStatus.Cause(reason: kind.rawValue, message: causeMessage, field: field)
    }
}

extension FieldError {
    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, badValue: "", detail: detail)
    }

    public static func invalid(_ field: String, _ value: JSONValue?, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, badValue: value ?? .null, detail: detail)
    }

    public static func typeInvalid(_ field: String, _ value: JSONValue?, _ detail: String) -> FieldError {
        FieldError(kind: .typeInvalid, field: field, badValue: value ?? .null, detail: detail)
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, badValue: "", detail: detail)
    }

    public static func duplicate(_ field: String, _ value: JSONValue?) -> FieldError {
        FieldError(kind: .duplicate, field: field, badValue: value ?? .null)
    }

    public static func notFound(_ field: String, _ value: JSONValue?) -> FieldError {
        FieldError(kind: .notFound, field: field, badValue: value ?? .null)
    }

    /// `Unsupported value: "x": supported values: "a", "b"`.
    public static func notSupported(_ field: String, _ value: JSONValue?, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(GoFormatting.quote).joined(separator: ", ")
        return FieldError(kind: .notSupported, field: field, badValue: value ?? .null, detail: detail)
    }

    /// `Too long: may not be more than 63 bytes` (a negative limit says only "value is too long").
    public static func tooLong(_ field: String, maxBytes: Int) -> FieldError {
        let detail = maxBytes >= 0 ? "may not be more than \(maxBytes) \(maxBytes == 1 ? "byte" : "bytes")" : "value is too long"
        return FieldError(kind: .tooLong, field: field, badValue: "<value omitted>", detail: detail)
    }

    /// `Too many: 3: must have at most 2 items` (negative numbers are left out, as Kubernetes does).
    public static func tooMany(_ field: String, actual: Int, max: Int) -> FieldError {
        let detail = max >= 0 ? "must have at most \(max) \(max == 1 ? "item" : "items")" : "has too many items"
        return FieldError(kind: .tooMany, field: field, badValue: actual >= 0 ? .int(Int64(actual)) : nil, detail: detail)
    }

    /// The errors as one string the way an aggregate error prints: the single message, or
    /// `[first, second]` with duplicates removed.
    public static func aggregateMessage(_ errors: [FieldError]) -> String {
        var seen = Set<String>()
        var messages: [String] = []
        for error in errors where seen.insert(error.message).inserted {
            messages.append(error.message)
        }
        if messages.count <= 1 { return messages.first ?? "" }
        return "[" + messages.joined(separator: ", ") + "]"
    }
}

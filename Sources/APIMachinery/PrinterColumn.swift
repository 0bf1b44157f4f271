import KubeModel

/// One `additionalPrinterColumns` entry of a CustomResourceDefinition and how the API server
/// fills its cell in a Table: the first JSONPath result, typed by the column's `type`.
public struct PrinterColumn: Sendable {
    public let name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public let type: String
    public let path: JSONPathExpression

    /// Throws, like the API server, with `unrecognized column definition "<jsonPath>"`.
    public init(name: String, type: String, jsonPath: String) throws(SchemaError) {
        self.name = name
        self.type = type
        do {
            path = try JSONPathExpression(jsonPath)
        } catch {
            throw SchemaError("unrecognized column definition \(GoFormatting.quote(jsonPath))")
        }
    }

    /// The cell for `object`: null when the path finds nothing or the value does not fit the type;
    /// a `date` shows the age relative to `now` (RFC 3339) as `kubectl get` prints it.
    public func cell(for object: JSONValue, now: String) -> JSONValue {
        guard let value = path.evaluate(object).first, !value.isNull else { return .null }
        switch type {
        case "string":
            return .string(JSONPathExpression.text(of: value))
        case "integer":
            switch value {
            case .int: return value
            case .double(let d): return d.isFinite && abs(d) < 9.2e18 ? .int(Int64(d)) : .null
            default: return .null
            }
        case "number":
            return value.doubleValue.map(JSONValue.double) ?? .null
        case "boolean":
            return value.boolValue.map(JSONValue.bool) ?? .null
        case "date":
            guard case .string(let text) = value else { return .null }
            guard let then = RFC3339.secondsSinceEpoch(text), let current = RFC3339.secondsSinceEpoch(now) else {
                return "<invalid>"
            }
            return .string(Self.humanDuration(seconds: current - then))
        default:
            return .null
        }
    }

    /// Kubernetes' human-readable duration (`45s`, `3m20s`, `5h10m`, `3d4h`, `2y10d`).
    public static func humanDuration(seconds: Double) -> String {
        let total = Int(seconds.rounded(.towardZero))
        if total < -1 { return "<invalid>" }
        if total < 0 { return "0s" }
        if total < 60 * 2 { return "\(total)s" }
        let minutes = total / 60
        if minutes < 10 {
            let rest = total % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = total / 3600
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let rest = (hours / 24) % 365
            return rest == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(rest)d"
        }
        return "\(hours / 24 / 365)y"
    }
}

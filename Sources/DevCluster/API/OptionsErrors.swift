import KubeModel
import APIMachinery

/// Checks the real server makes on the `meta.k8s.io` option types (`ListOptions`, `CreateOptions`,
/// `PatchOptions`, …) before touching storage: a bad option is a 422 on the option kind, worded
/// as apimachinery's `ValidateListOptions`/`ValidateCreateOptions`/… word it.
enum OptionsErrors {
    static let fieldManagerMaxLength = 128

    /// `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: …`.
    static func invalid(_ kind: String, _ errors: [FieldError]) -> APIStatus {
        APIErrors.invalid(group: "meta.k8s.io", kind: kind, name: "", errors)
    }

    /// Only `All` is a dry run; the value is a list, printed as Go prints a `[]string`.
    static func dryRun(_ values: [String]) -> [FieldError] {
        guard values.contains(where: { $0 != "All" }) else { return [] }
        let rendered = "[]string{" + values.map { GoQuote.quote($0) }.joined(separator: ", ") + "}"
        return [FieldError(kind: .notSupported, field: "dryRun", badValue: nil, detail: "\(rendered): supported values: \"All\"")]
    }

    static func fieldValidation(_ value: String?) -> [FieldError] {
        guard let value, !["", "Ignore", "Warn", "Strict"].contains(value) else { return [] }
        return [.notSupported("fieldValidation", .string(value), supported: ["", "Ignore", "Strict", "Warn"])]
    }

    /// At most 128 bytes, printable characters only (an empty one is defaulted later).
    static func fieldManager(_ value: String) -> [FieldError] {
        var errors: [FieldError] = []
        if value.utf8.count > fieldManagerMaxLength {
            errors.append(.tooLong("fieldManager", maxBytes: fieldManagerMaxLength))
        }
        var position = 0
        for scalar in value.unicodeScalars {
            if !isPrintable(scalar) {
                let code = String(scalar.value, radix: 16, uppercase: true)
                let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
                errors.append(.invalid("fieldManager", .string(value), "invalid character U+\(padded) (at position \(position))"))
            }
            position += String(scalar).utf8.count
        }
        return errors
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}

import KubeModel

/// Parses JSON text in tests; a typo in a literal fails loudly rather than passing silently.
func json(_ text: String) -> JSONValue {
    do {
        return try JSONValue(parsing: text)
    } catch {
        fatalError("bad JSON in test: \(error): \(text)")
    }
}

import KubeModel

/// Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1e3`, `2G`), as the API server's
/// `resource.ParseQuantity` reads them: a non-negative decimal and at most one suffix — a
/// binary one (Ki…Ei), a decimal one (n, u, m, k, M…E) or an exponent (`e3`, `E-2`).
/// Checked at injection so a bad annotation is refused naming the annotation, not later as
/// an invalid `causeway-proxy` container the user never wrote.
enum QuantitySyntax {
    /// The quantity's value in base units (cores, bytes), or nil when `text` is not a
    /// non-negative quantity. A `Double` is exact enough to compare a request with a limit.
    static func value(_ text: String) -> Double? {
        guard !text.hasPrefix("-"), let quantity = ResourceQuantity(text) else { return nil }
        return quantity.approximate
    }
}

/// Port numbers as users write them in annotations: `8080` or `8080, 9090`.
enum PortSyntax {
    /// A port in 1–65535, written as decimal digits only (no sign, no spaces inside).
    static func port(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(text), (1...65_535).contains(value) else { return nil }
        return value
    }

    /// Comma-separated ports without repeats, or the first item that is not a port.
    static func ports(_ text: String) -> Result<[Int64], BadItem> {
        var result: [Int64] = []
        for item in ListSyntax.items(text) {
            guard let value = port(item) else { return .failure(BadItem(text: String(item))) }
            if !result.contains(value) { result.append(value) }
        }
        return .success(result)
    }
}

/// The first item of a list annotation that is not valid.
struct BadItem: Error {
    var text: String
}

/// Comma-separated annotation values: `a,b`, `a, b`.
enum ListSyntax {
    /// The items with surrounding blanks trimmed; an empty item stays, so it gets reported.
    static func items(_ text: String) -> [Substring] {
        text.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
    }

    static func trimmed(_ text: Substring) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}

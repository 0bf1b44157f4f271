extension String {
    /// Go's `strings.TrimSpace`.
    var goTrimmed: String {
        let scalars = Array(unicodeScalars)
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[start...end])
        return result
    }

    var hasLineBreaks: Bool { contains("\n") || contains("\r") }
}

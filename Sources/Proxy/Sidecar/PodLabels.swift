/// Reads the labels file the downward API writes (`key="value"` per line, values quoted as Go's
/// `strconv.Quote` does), so a sidecar knows which selector-scoped policies pick its pod.
public enum PodLabels {
    public static func parse(_ text: String) -> [String: String] {
        var labels: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingWhitespace()
            let raw = String(line[line.index(after: equals)...]).trimmingWhitespace()
            guard !key.isEmpty else { continue }
            labels[key] = unquote(raw)
        }
        return labels
    }

    private static func unquote(_ raw: String) -> String {
        guard raw.count >= 2, raw.first == "\"", raw.last == "\"" else { return raw }
        var out = ""
        var escaping = false
        for character in raw.dropFirst().dropLast() {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" { view.removeLast() }
        return String(view)
    }
}

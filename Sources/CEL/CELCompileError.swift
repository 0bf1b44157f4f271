/// Why an expression did not compile: every issue the parser or checker found, printed as cel-go
/// prints its `Issues`: `ERROR: <input>:1:6: undefined field 'foo'`, the source line and a caret.
public struct CELCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Issue: Sendable, Equatable {
        /// UTF-8 offset into the source.
        public var offset: Int
        public var message: String
    }

    public var source: String
    public var issues: [Issue]

    public var description: String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        // cel-go lists issues in source order.
        return issues.sorted { $0.offset < $1.offset }.map { issue in
            let (line, column) = Self.location(of: issue.offset, in: source)
            var text = "ERROR: <input>:\(line):\(column + 1): \(issue.message)"
            if line - 1 < lines.count {
                let sourceLine = lines[line - 1]
                // cel-go pads the caret with dots, one per character before the column.
                text += "\n | \(sourceLine)\n | \(String(repeating: ".", count: column))^"
            }
            return text
        }.joined(separator: "\n")
    }

    /// Line (1-based) and column (0-based, in characters) of a UTF-8 offset.
    static func location(of offset: Int, in source: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 0
        var consumed = 0
        for scalar in source.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

/// What `iptables-save` printed, read just far enough to find Causeway's chains and the rules that
/// jump into them. Rule text is kept verbatim (quotes included) so a rule can be deleted with
/// `-D <chain> <text>`, which iptables matches by specification.
public struct SavedRuleset: Hashable, Sendable {
    public struct Rule: Hashable, Sendable {
        public var chain: String
        /// Everything after `-A <chain> `, as printed.
        public var text: String
        /// The `-j`/`-g` target, if any.
        public var target: String?
    }

    public struct Table: Hashable, Sendable {
        public var name: String
        /// Declared chains, built-in and user-defined, in the order printed.
        public var chains: [String] = []
        public var rules: [Rule] = []

        /// Causeway's chains present in this table.
        public var causewayChains: [String] { chains.filter(CaptureChain.isCauseway) }

        /// Rules outside Causeway's chains that jump into them (normally OUTPUT and PREROUTING's).
        public var causewayJumps: [Rule] {
            rules.filter { !CaptureChain.isCauseway($0.chain) && ($0.target.map(CaptureChain.isCauseway) ?? false) }
        }

        public func rules(in chain: String) -> [Rule] { rules.filter { $0.chain == chain } }
    }

    public var tables: [Table]

    public static let empty = SavedRuleset(tables: [])

    public init(tables: [Table]) { self.tables = tables }

    /// Lines other than `*table`, `:chain`, `-A chain ...` and `COMMIT` (comments, warnings) are skipped.
    public init(parsing text: String) {
        var tables: [Table] = []
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("*") {
                tables.append(Table(name: String(line.dropFirst())))
            } else if line.hasPrefix(":"), !tables.isEmpty {
                if let name = line.dropFirst().split(separator: " ").first { tables[tables.count - 1].chains.append(String(name)) }
            } else if line.hasPrefix("-A "), !tables.isEmpty {
                let words = Self.words(line)
                guard words.count >= 2 else { continue }
                let rest = line.dropFirst(3).drop { $0 == " " }.dropFirst(words[1].count).drop { $0 == " " }
                var target: String?
                for (index, word) in words.enumerated().dropLast() where ["-j", "--jump", "-g", "--goto"].contains(word) {
                    target = words[index + 1]
                }
                tables[tables.count - 1].rules.append(Rule(chain: words[1], text: String(rest), target: target))
            }
        }
        self.tables = tables
    }

    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// Whether any table holds a Causeway chain or a jump into one.
    public var hasCausewayRules: Bool { tables.contains { !$0.causewayChains.isEmpty || !$0.causewayJumps.isEmpty } }

    /// The number of rules in every table: how much a backend is in use.
    public var ruleCount: Int { tables.reduce(0) { $0 + $1.rules.count } }

    /// Split on blanks outside double quotes, as iptables-restore does (`--comment "a b"` is one word).
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        var started = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                started = true
            } else if character == " " || character == "\t", !inQuotes {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }
}

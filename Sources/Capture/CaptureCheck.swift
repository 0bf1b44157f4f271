/// Reads back what the kernel holds after a restore. A restore that exits 0 has applied its
/// input, but another writer (a second init, a CNI plugin) may have raced it, so init checks the
/// outcome: each of Causeway's chains with as many rules as written, one jump per built-in chain,
/// nothing else of Causeway's. Counts rather than text: each backend prints rules its own way
/// (legacy adds `-m tcp`, nft reorders matches).
public enum CaptureCheck {
    /// Differences between `ruleset` and `actual`, for a person; empty when they match.
    public static func problems(expected ruleset: CaptureRuleset, actual: SavedRuleset) -> [String] {
        let nat = actual.table("nat") ?? SavedRuleset.Table(name: "nat")
        var problems: [String] = []
        for chain in ruleset.chains {
            let written = ruleset.rules.filter { $0.chain == chain }.count
            if !nat.chains.contains(chain) {
                problems.append("chain \(chain) is missing")
            } else if nat.rules(in: chain).count != written {
                problems.append("chain \(chain) has \(nat.rules(in: chain).count) rules, \(written) were written")
            }
        }
        for chain in nat.causewayChains where !ruleset.chains.contains(chain) {
            problems.append("chain \(chain) should not exist")
        }
        let expectedJumps = ruleset.jumps.map { "\($0.chain) -> \($0.arguments.last ?? "")" }.sorted()
        let actualJumps = nat.causewayJumps.map { "\($0.chain) -> \($0.target ?? "")" }.sorted()
        if expectedJumps != actualJumps {
            problems.append("jumps into Causeway's chains are [\(actualJumps.joined(separator: ", "))], expected [\(expectedJumps.joined(separator: ", "))]")
        }
        for table in actual.tables where table.name != "nat" && !(table.causewayChains.isEmpty && table.causewayJumps.isEmpty) {
            problems.append("table \(table.name) holds Causeway chains or jumps")
        }
        return problems
    }

    /// What is left of Causeway after an undo, for a person; empty when nothing is.
    public static func leftovers(_ actual: SavedRuleset) -> [String] {
        actual.tables.flatMap { table in
            table.causewayChains.map { "chain \($0) in table \(table.name)" }
                + table.causewayJumps.map { "jump -A \($0.chain) \($0.text) in table \(table.name)" }
        }
    }
}

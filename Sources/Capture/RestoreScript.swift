/// The input `iptables-restore --noflush` gets from `causeway init`. `--noflush` leaves every
/// rule that is not Causeway's alone; one restore is one kernel transaction, so the rules change
/// all at once or not at all.
public enum RestoreScript {
    /// Installs `ruleset` and removes whatever Causeway installed before (`existing` is what
    /// iptables-save prints now), so running init again leaves exactly one copy. A chain declared
    /// under `--noflush` is created, or emptied if it exists; old jumps are deleted by
    /// specification; Causeway chains this version no longer uses are emptied and deleted.
    public static func apply(_ ruleset: CaptureRuleset, over existing: SavedRuleset) -> String {
        var lines: [String] = []
        for table in existing.tables where table.name != "nat" {
            lines += section(table.name, deletions(in: table, keeping: []))
        }
        let nat = existing.table("nat") ?? SavedRuleset.Table(name: "nat")
        lines += ["*nat"] + ruleset.chains.map { ":\($0) - [0:0]" }
        lines += deletions(in: nat, keeping: Set(ruleset.chains))
        lines += (ruleset.rules + ruleset.jumps).map(\.description)
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Removes exactly Causeway's jumps and chains from `existing`; nil when there are none (an
    /// empty restore would still take the lock and, for the legacy backend, create tables).
    public static func undo(_ existing: SavedRuleset) -> String? {
        let lines = existing.tables.flatMap { section($0.name, deletions(in: $0, keeping: [])) }
        return lines.isEmpty ? nil : lines.joined(separator: "\n") + "\n"
    }

    /// Jumps go first, then every chain is emptied before any is deleted: a chain cannot be
    /// deleted while a rule still jumps to it.
    private static func deletions(in table: SavedRuleset.Table, keeping: Set<String>) -> [String] {
        let stale = table.causewayChains.filter { !keeping.contains($0) }
        return table.causewayJumps.map { "-D \($0.chain) \($0.text)" } + stale.map { "-F \($0)" } + stale.map { "-X \($0)" }
    }

    private static func section(_ table: String, _ lines: [String]) -> [String] {
        lines.isEmpty ? [] : ["*\(table)"] + lines + ["COMMIT"]
    }
}

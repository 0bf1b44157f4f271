import Capture
import Foundation
import Testing

/// Reading back: init trusts counts per chain and the jumps, not the text each backend prints.
@Suite struct CaptureCheckTests {
    /// The legacy backend's iptables-save output after init with the default spec.
    static let legacyAfterInit = """
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        :CAUSEWAY_INBOUND - [0:0]
        :CAUSEWAY_IN_REDIRECT - [0:0]
        :CAUSEWAY_OUTPUT - [0:0]
        :CAUSEWAY_REDIRECT - [0:0]
        -A PREROUTING -p tcp -j CAUSEWAY_INBOUND
        -A OUTPUT -p tcp -j CAUSEWAY_OUTPUT
        -A CAUSEWAY_INBOUND -p tcp -j CAUSEWAY_IN_REDIRECT
        -A CAUSEWAY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
        -A CAUSEWAY_OUTPUT ! -d 127.0.0.0/8 -o lo -m owner --uid-owner 15337 -j CAUSEWAY_INBOUND
        -A CAUSEWAY_OUTPUT ! -d 127.0.0.0/8 -o lo -m owner --gid-owner 15337 -j CAUSEWAY_INBOUND
        -A CAUSEWAY_OUTPUT -m owner --uid-owner 15337 -j RETURN
        -A CAUSEWAY_OUTPUT -m owner --gid-owner 15337 -j RETURN
        -A CAUSEWAY_OUTPUT -o lo -j RETURN
        -A CAUSEWAY_OUTPUT -d 127.0.0.0/8 -j RETURN
        -A CAUSEWAY_OUTPUT -j CAUSEWAY_REDIRECT
        -A CAUSEWAY_REDIRECT -p tcp -j REDIRECT --to-ports 15001
        COMMIT
        """

    @Test func matchingRulesHaveNoProblems() {
        let ruleset = CaptureRuleset(CaptureSpec(), family: .ipv4)
        #expect(CaptureCheck.problems(expected: ruleset, actual: SavedRuleset(parsing: Self.legacyAfterInit)) == [])
    }

    @Test func duplicateJumpsMissingRulesAndStrayChainsAreReported() {
        let ruleset = CaptureRuleset(CaptureSpec(), family: .ipv4)
        let damaged = Self.legacyAfterInit
            .replacingOccurrences(of: "-A CAUSEWAY_OUTPUT -o lo -j RETURN\n", with: "")
            .replacingOccurrences(of: "-A OUTPUT -p tcp -j CAUSEWAY_OUTPUT\n", with: "-A OUTPUT -p tcp -j CAUSEWAY_OUTPUT\n-A OUTPUT -j CAUSEWAY_OUTPUT\n")
            .replacingOccurrences(of: ":CAUSEWAY_REDIRECT - [0:0]\n", with: ":CAUSEWAY_REDIRECT - [0:0]\n:CAUSEWAY_STRAY - [0:0]\n")
        #expect(CaptureCheck.problems(expected: ruleset, actual: SavedRuleset(parsing: damaged)) == [
            "chain CAUSEWAY_OUTPUT has 6 rules, 7 were written",
            "chain CAUSEWAY_STRAY should not exist",
            "jumps into Causeway's chains are [OUTPUT -> CAUSEWAY_OUTPUT, OUTPUT -> CAUSEWAY_OUTPUT, PREROUTING -> CAUSEWAY_INBOUND], "
                + "expected [OUTPUT -> CAUSEWAY_OUTPUT, PREROUTING -> CAUSEWAY_INBOUND]",
        ])
        #expect(CaptureCheck.problems(expected: ruleset, actual: .empty).first == "chain CAUSEWAY_OUTPUT is missing")
    }

    @Test func leftoversAfterUndo() {
        #expect(CaptureCheck.leftovers(SavedRuleset(parsing: "*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -j RETURN\nCOMMIT\n")) == [])
        #expect(CaptureCheck.leftovers(SavedRuleset(parsing: Self.legacyAfterInit)).count == 6)
    }
}

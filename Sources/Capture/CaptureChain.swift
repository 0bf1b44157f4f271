/// Causeway's chains in the nat table. Everything Causeway installs is in a chain with this prefix
/// or is a jump into one, which is how `causeway init --undo` finds exactly its own rules.
public enum CaptureChain {
    public static let prefix = "CAUSEWAY_"
    /// OUTPUT jumps here: decides which locally originated connections go to the proxy.
    public static let output = "CAUSEWAY_OUTPUT"
    /// PREROUTING jumps here: decides which arriving connections go to the proxy.
    public static let inbound = "CAUSEWAY_INBOUND"
    /// Redirects to the proxy's outbound port.
    public static let redirect = "CAUSEWAY_REDIRECT"
    /// Redirects to the proxy's inbound port.
    public static let inboundRedirect = "CAUSEWAY_IN_REDIRECT"

    public static func isCauseway(_ chain: String) -> Bool { chain.hasPrefix(prefix) }
}

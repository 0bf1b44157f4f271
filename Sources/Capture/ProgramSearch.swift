/// Where init looks for iptables programs: PATH, then the sbin directories a non-root PATH often
/// lacks (the programs live in /usr/sbin on Debian and RHEL alike).
public enum ProgramSearch {
    public static let fallbackDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin"]

    /// Candidate paths of `name`, in search order, without duplicates.
    public static func candidates(_ name: String, path: String?) -> [String] {
        var directories: [String] = []
        for directory in (path ?? "").split(separator: ":").map(String.init) + fallbackDirectories
        where !directory.isEmpty && !directories.contains(directory) {
            directories.append(directory)
        }
        return directories.map { "\($0)/\(name)" }
    }

    /// The error when no candidate of any of `names` is executable.
    public static func missing(_ names: [String], backend: CaptureBackend, family: IPFamily, path: String?) -> CaptureError {
        let other = CaptureBackend.allCases.first { $0 != backend }.map { " or choose --backend \($0)" } ?? ""
        let ipv6 = family == .ipv6 ? ", or pass --no-ipv6 if this pod has no IPv6" : ""
        return CaptureError(.toolMissing, "\(names.joined(separator: " or ")) not found (looked in PATH \(path ?? "(unset)") and "
                            + "\(fallbackDirectories.joined(separator: ", "))): install the iptables package\(other)\(ipv6)")
    }
}

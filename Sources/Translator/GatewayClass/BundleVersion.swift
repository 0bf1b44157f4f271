/// Gateway API bundle versions (`v1.6.1`, `v1.5.0-rc.1`) as read from the
/// `gateway.networking.k8s.io/bundle-version` annotation of the installed CRDs.
struct BundleVersion: Comparable, Hashable, CustomStringConvertible {
    var major: Int
    var minor: Int
    var patch: Int
    /// Text after `-` (`rc.1`); a pre-release sorts before its release.
    var preRelease: String?

    /// The oldest bundle whose CRDs serve every version Causeway reads (GRPCRoute v1 arrived in v1.1.0).
    static let minimumSupported = BundleVersion(major: 1, minor: 1, patch: 0)
    /// The bundle Causeway's own CRDs come from and its tests run against.
    static let current = BundleVersion(major: 1, minor: 6, patch: 1)

    init(major: Int, minor: Int, patch: Int, preRelease: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
    }

    init?(_ text: String) {
        guard text.hasPrefix("v") else { return nil }
        let body = text.dropFirst()
        let parts = body.split(separator: "-", maxSplits: 1)
        let numbers = parts[0].split(separator: ".")
        guard numbers.count == 3, let major = Int(numbers[0]), let minor = Int(numbers[1]), let patch = Int(numbers[2]) else {
            return nil
        }
        self.init(major: major, minor: minor, patch: patch, preRelease: parts.count == 2 ? String(parts[1]) : nil)
    }

    var description: String { "v\(major).\(minor).\(patch)" + (preRelease.map { "-\($0)" } ?? "") }

    static func < (a: BundleVersion, b: BundleVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) {
            return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
        }
        switch (a.preRelease, b.preRelease) {
        case (nil, nil), (nil, _?): return false
        case (_?, nil): return true
        case let (x?, y?): return x < y
        }
    }
}

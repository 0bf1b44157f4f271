import KubeModel
import ProxyConfig

/// Versions of data-plane configurations: `<generation>-<content hash>`.
///
/// The hash makes equal configurations carry equal versions (so an unchanged translation sends
/// nothing); the owner's generation lets status tell whether a proxy runs the *current* spec of
/// its Gateway even while route changes keep making newer versions.
public enum ConfigVersion {
    public static func make(_ config: ProxyConfig, generation: Int64) -> String {
        var unversioned = config
        unversioned.version = ""
        let bytes = (try? JSONValueEncoder().encode(unversioned))?.serialized() ?? []
        return "\(generation)-\(StableHash.hex64(bytes))"
    }

    /// The owner generation a version was made from; nil for versions not made here.
    public static func generation(of version: String) -> Int64? {
        guard let dash = version.firstIndex(of: "-") else { return nil }
        return Int64(version[..<dash])
    }
}

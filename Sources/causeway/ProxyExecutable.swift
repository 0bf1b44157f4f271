import Foundation

/// `causeway proxy ARGS` becomes `causeway-proxy ARGS` (exec, same PID) when that binary sits next
/// to this one, as `git foo` runs `git-foo`.
///
/// Why: a gateway pod and every meshed pod run the proxy, and most of the memory an idle proxy
/// holds is the pages of its own executable and the libraries it loads. The one `causeway`
/// binary also carries the controller, the dev API server, CEL and the webhook, whose metadata
/// the dynamic loader touches at start; `causeway-proxy` links the data plane alone. Manifests
/// keep saying `causeway proxy`, so every pod spec, the injector and `causeway dev` get the lean
/// binary without naming it, and a `causeway` installed alone still runs the proxy in-process.
enum ProxyExecutable {
    static let name = "causeway-proxy"

    /// Returns only when there is nothing to hand over (another command, no `causeway-proxy`) or
    /// the exec failed; the caller then runs the command itself.
    static func execIfInstalled(_ arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == "proxy",
              let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return }
        let path = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
        guard access(path, X_OK) == 0 else { return }
        let argv = [path] + arguments.dropFirst(2)
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(path, cArguments)
        // Still here: the exec failed (the error is in errno); run in-process instead.
        for pointer in cArguments { free(pointer) }
    }
}

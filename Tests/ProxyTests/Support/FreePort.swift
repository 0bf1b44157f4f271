#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// `ProxyConfig.validate()` rejects port 0, so tests ask the kernel for a free port first.
enum FreePort {
    static func find(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// Runs `bind` (which finds its ports with `find`) again with fresh ports when one was taken
    /// between being found and being bound: tests running in parallel open connections, and a
    /// client's ephemeral port can land on a port found free a moment earlier.
    static func retryingClashes<T>(_ bind: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await bind()
            } catch let error as IOError where error.errnoCode == EADDRINUSE && attempt < 5 {
                continue
            }
        }
    }
}

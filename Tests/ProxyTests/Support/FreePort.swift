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
}

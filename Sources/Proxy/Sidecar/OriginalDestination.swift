import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Where a connection that iptables redirected to the sidecar was going: the netfilter
/// `SO_ORIGINAL_DST` socket option (IPv4) or `IP6T_SO_ORIGINAL_DST` (IPv6, same number) of the
/// accepted socket. A connection that was not redirected reports its own local address.
enum OriginalDestination {
    /// `SO_ORIGINAL_DST` in <linux/netfilter_ipv4.h>; `IP6T_SO_ORIGINAL_DST` has the same value.
    private static let option: Int32 = 80

    /// Call on the channel's event loop (a child channel initializer): the option is then read
    /// synchronously and the future is already complete.
    static func read(_ channel: any Channel) -> SocketAddress? {
        guard let provider = channel as? any SocketOptionProvider, let local = channel.localAddress else { return nil }
        #if os(Linux)
        switch local {
        case .v4:
            let future: EventLoopFuture<sockaddr_in> = provider.unsafeGetSocketOption(
                level: NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_IP)), name: NIOBSDSocket.Option(rawValue: option))
            return completedValue(future).map { SocketAddress($0, host: "") }
        case .v6:
            let future: EventLoopFuture<sockaddr_in6> = provider.unsafeGetSocketOption(
                level: NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_IPV6)), name: NIOBSDSocket.Option(rawValue: option))
            return completedValue(future).map { SocketAddress($0, host: "") }
        default:
            return nil
        }
        #else
        return local
        #endif
    }

    private static func completedValue<Value>(_ future: EventLoopFuture<Value>) -> Value? {
        var value: Value?
        future.assumeIsolated().whenSuccess { value = $0 }
        return value
    }
}

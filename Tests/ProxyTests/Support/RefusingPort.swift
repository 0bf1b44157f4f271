#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A loopback port that refuses connections for as long as this value is open: a TCP socket bound
/// to it but not listening. A port merely found free and released can be taken by a test running
/// alongside, and then it answers.
final class RefusingPort {
    struct Failure: Error { var call: String }

    let port: Int
    private var descriptor: Int32

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else {
            closeDescriptor(fd)
            throw Failure(call: "bind")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Gives the port back (also done when the value goes away).
    func close() {
        guard descriptor >= 0 else { return }
        closeDescriptor(descriptor)
        descriptor = -1
    }

    deinit { close() }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

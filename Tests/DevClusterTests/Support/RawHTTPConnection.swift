import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection that writes exactly the bytes a test gives it and reads only when
/// asked: for what an HTTP client library will not do — a body that never ends, a watch that
/// is never read.
final class RawHTTPConnection {
    enum Failure: Error { case connect(Int32), send(Int32) }

    private let descriptor: Int32

    /// - Parameter receiveBuffer: a small kernel receive buffer makes a client that stops
    ///   reading fall behind sooner.
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure.connect(errno)
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.send(errno) }
            offset += sent
        }
    }

    /// Reads until the server closes the connection or `deadline` passes; returns what came and
    /// whether the server closed. The deadline only bounds a failing test.
    func readUntilClosed(deadline: Duration = .seconds(20)) -> (bytes: [UInt8], closed: Bool) {
        read(deadline: deadline) { _ in false }
    }

    /// Reads until `done` holds for everything received so far, the server closes, or `deadline`.
    func read(deadline: Duration = .seconds(20), until done: ([UInt8]) -> Bool) -> (bytes: [UInt8], closed: Bool) {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while clock.now < end {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (received, true) }
            received += chunk[..<count]
            if done(received) { return (received, false) }
        }
        return (received, false)
    }
}

import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Musl)
import Musl
private let streamSocket = SOCK_STREAM
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// `causeway wait-ready`: waits until the local proxy answers `GET /ready` with 200.
///
/// The classic (non-native) sidecar runs it as its `postStart` hook: the kubelet starts a pod's
/// containers in order and starts the next only when the previous one's `postStart` hook has
/// returned, so the app, after the proxy, does not start before the proxy can carry its traffic.
/// A plain socket rather than URLSession, which the statically linked binary does not have.
struct WaitReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait-ready",
        abstract: "Wait until the local proxy is ready (GET /ready answers 200); exit 1 after the timeout."
    )

    @Option(help: "The proxy's health port.")
    var port: Int = 15021

    @Option(help: "Address to ask.")
    var address: String = "127.0.0.1"

    @Option(help: "Path that answers 200 once the proxy is ready.")
    var path: String = "/ready"

    @Option(help: "Give up after this many seconds.")
    var timeoutSeconds: Int = 120

    @Option(help: "Pause between attempts, in milliseconds.")
    var intervalMs: Int = 200

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535, got \(port)") }
        guard timeoutSeconds >= 0 else { throw ValidationError("--timeout-seconds must not be negative") }
        guard intervalMs >= 1 else { throw ValidationError("--interval-ms must be at least 1") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /") }
    }

    func run() throws {
        // A proxy that closes the connection early must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(timeoutSeconds)
        let target = "http://\(address.contains(":") ? "[\(address)]" : address):\(port)\(path)"
        var last = "no answer"
        while true {
            switch HTTPStatusProbe.status(address: address, port: port, path: path, timeoutMilliseconds: 1000) {
            case .success(200):
                let elapsed = (clock.now - started).components
                let milliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
                print("causeway wait-ready: \(target) is ready after \(milliseconds) ms")
                return
            case .success(let status): last = "HTTP \(status)"
            case .failure(let failure): last = failure.description
            }
            let now = clock.now
            guard now < deadline else {
                // The kubelet puts a failed hook's output in the pod's FailedPostStartHook event.
                let message = "causeway wait-ready: \(target) not ready after \(timeoutSeconds)s (last: \(last))"
                FileHandle.standardError.write(Data((message + "\n").utf8))
                throw ExitCode.failure
            }
            Thread.sleep(forTimeInterval: min(Double(intervalMs) / 1000, (deadline - now) / .seconds(1)))
        }
    }
}

/// One `GET` over a blocking socket with send and receive timeouts; returns the status code.
enum HTTPStatusProbe {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func status(address: String, port: Int, path: String, timeoutMilliseconds: Int) -> Result<Int, Failure> {
        let isIPv6 = address.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { return .failure(Failure(description: "socket: \(errorText())")) }
        defer { close(descriptor) }
        // Linux applies SO_SNDTIMEO to connect(2) as well; loopback answers at once anyway.
        var timeout = timeval(tv_sec: .init(timeoutMilliseconds / 1000), tv_usec: .init(timeoutMilliseconds % 1000 * 1000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let connected: Int32
        if isIPv6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, address, &socketAddress.sin6_addr) == 1 else {
                return .failure(Failure(description: "\(address) is not an IPv6 address"))
            }
            connected = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
                return .failure(Failure(description: "\(address) is not an IPv4 address"))
            }
            connected = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else { return .failure(Failure(description: "connect: \(errorText())")) }

        let host = isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: causeway-wait-ready\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { return .failure(Failure(description: "send: \(errorText())")) }
            sent += written
        }
        // Only the status line matters: `HTTP/1.1 200 OK`.
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !received.contains(0x0A), received.count < 4096 {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { return .failure(Failure(description: "recv: \(errorText())")) }
            received += buffer[..<count]
        }
        let statusLine = String(decoding: received.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), let status = Int(fields[1]) else {
            return .failure(Failure(description: statusLine.isEmpty ? "connection closed without an answer" : "not HTTP: \(statusLine.prefix(80))"))
        }
        return .success(status)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

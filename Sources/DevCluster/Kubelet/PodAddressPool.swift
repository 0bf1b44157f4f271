import Foundation
import Synchronization

/// Addresses `causeway dev` gives its pods: of a range made local on the machine (198.18.0.0/15,
/// reserved for benchmarking, when running as root), or loopback ones otherwise — the one case
/// where DevCluster must accept loopback EndpointSlice addresses.
public final class PodAddressPool: Sendable {
    public enum Range: Sendable, Equatable {
        /// 198.18.0.0/15, routed to the loopback device (`ip route add local 198.18.0.0/15 dev lo`).
        case benchmarkingRange
        /// 127.1.0.0/16.
        case loopback
    }

    public let range: Range
    private let used = Mutex<Set<UInt32>>([])
    private let next = Mutex<UInt32>(0)

    /// Starts at a random place in the range, so several `causeway dev` processes on one machine
    /// (tests run side by side) rarely hand out the same address.
    public init(range: Range) {
        self.range = range
        next.withLock { $0 = UInt32.random(in: 0..<(range == .benchmarkingRange ? 1 << 17 : 1 << 16)) }
    }

    /// Makes 198.18.0.0/15 local when this process may (root); the loopback range otherwise.
    public static func best() -> PodAddressPool {
        if getuid() == 0, ensureLocalRoute() { return PodAddressPool(range: .benchmarkingRange) }
        return PodAddressPool(range: .loopback)
    }

    private var base: UInt32 { range == .benchmarkingRange ? 0xC612_0000 : 0x7F01_0000 }
    private var size: UInt32 { range == .benchmarkingRange ? 1 << 17 : 1 << 16 }

    public func allocate() -> String? {
        used.withLock { used in
            var candidate = next.withLock { $0 }
            for _ in 0..<size {
                candidate = (candidate + 1) % size
                // Skip network and broadcast-looking addresses (.0, .255) for readability.
                if candidate & 0xFF == 0 || candidate & 0xFF == 0xFF { continue }
                if used.insert(candidate).inserted {
                    next.withLock { $0 = candidate }
                    return Self.format(base + candidate)
                }
            }
            return nil
        }
    }

    public func release(_ address: String) {
        guard let value = Self.parse(address), value >= base, value < base + size else { return }
        _ = used.withLock { $0.remove(value - base) }
    }

    /// Marks an address taken (pods that survive a restart of `causeway dev` keep theirs).
    public func reserve(_ address: String) {
        guard let value = Self.parse(address), value >= base, value < base + size else { return }
        _ = used.withLock { $0.insert(value - base) }
    }

    static func format(_ value: UInt32) -> String { "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)" }

    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
        return parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]
    }

    /// `ip route add local 198.18.0.0/15 dev lo`, unless the route is there already.
    private static func ensureLocalRoute() -> Bool {
        func ip(_ arguments: [String]) -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            guard (try? process.run()) != nil else { return (-1, "") }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        if ip(["route", "show", "table", "local", "198.18.0.0/15"]).1.contains("198.18.0.0/15") { return true }
        return ip(["route", "add", "local", "198.18.0.0/15", "dev", "lo"]).0 == 0
    }
}

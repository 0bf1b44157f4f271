import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes JSON access-log lines to a file descriptor. Each event loop has its own sink that
/// batches lines and writes them with one `write(2)` per batch, so loops never contend.
final class AccessLogSink {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var flushScheduled = false
    private let eventLoop: any EventLoop

    init(fd: Int32, eventLoop: any EventLoop) {
        self.fd = fd
        self.eventLoop = eventLoop
        buffer.reserveCapacity(16 * 1024)
    }

    func log(_ record: AccessRecord, durationSeconds: Double, listener: String) {
        var line = "{\"time\":\"\(Self.timestamp())\",\"listener\":"
        Self.appendJSONString(listener, to: &line)
        line += ",\"method\":"
        Self.appendJSONString(record.method, to: &line)
        line += ",\"authority\":"
        Self.appendJSONString(record.authority, to: &line)
        line += ",\"path\":"
        Self.appendJSONString(record.path, to: &line)
        line += ",\"status\":\(record.status),\"route\":"
        Self.appendJSONString(record.route, to: &line)
        line += ",\"backend\":"
        Self.appendJSONString(record.backend, to: &line)
        line += ",\"upstream\":"
        Self.appendJSONString(record.upstream?.description ?? "", to: &line)
        line += ",\"request_id\":"
        Self.appendJSONString(record.requestID, to: &line)
        line += ",\"bytes_received\":\(record.requestBytes),\"bytes_sent\":\(record.responseBytes)"
        line += ",\"duration_ms\":\(Double(Int(durationSeconds * 1_000_000)) / 1000)"
        if let principal = record.sourcePrincipal {
            line += ",\"source_principal\":"
            Self.appendJSONString(principal, to: &line)
        }
        if let error = record.upstreamError {
            line += ",\"upstream_error\":"
            Self.appendJSONString(error, to: &line)
        }
        line += "}\n"
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 32 * 1024 {
            flush()
        } else if !flushScheduled {
            flushScheduled = true
            eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [weak self] in
                self?.flushScheduled = false
                self?.flush()
            }
        }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func appendJSONString(_ value: String, to out: inout String) {
        out.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(now.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}

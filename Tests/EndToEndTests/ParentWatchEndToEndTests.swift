import Foundation
import Testing
import TestSupport

/// A `causeway` process started with CAUSEWAY_PARENT_PID ends itself when that parent dies
/// without stopping it, as the pods of a killed `causeway dev` must.
@Suite struct ParentWatchEndToEndTests {
    @Test func anOrphanEndsItself() async throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell starts `causeway echo` as its child, names it, and waits; killing the shell
        // orphans the echo server.
        shell.arguments = ["-c", #"CAUSEWAY_PARENT_PID=$$ "$0" echo --port 0 --address 127.0.0.1 & echo "child $!"; exec sleep 60"#,
                           try DevProcess.binary()]
        let pipe = Pipe()
        shell.standardOutput = pipe
        shell.standardError = pipe
        let output = LineCollector(pipe.fileHandleForReading)
        try shell.run()
        defer { if shell.isRunning { kill(shell.processIdentifier, SIGKILL) } }
        let line = try #require(output.waitForLine(containing: "child ", timeout: 10))
        let child = try #require(pid_t(line.split(separator: " ").last ?? ""))
        defer { kill(child, SIGKILL) }
        #expect(output.waitFor("causeway echo: listening on", timeout: 20), "the echo server starts: \(output.text)")

        kill(shell.processIdentifier, SIGKILL)
        shell.waitUntilExit()
        let ended = await eventually(timeout: .seconds(10)) { !Self.alive(child) }
        #expect(ended, "the orphaned echo server ends itself: \(output.text)")
    }

    /// Running, and not a zombie waiting for whichever process adopted it to reap it.
    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

import Foundation

/// Unbuffered output lines, so a supervisor reading a pipe sees them at once.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

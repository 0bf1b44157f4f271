import Foundation
import Synchronization

/// The journal's append-only log: opened once recovery has read the old one, then written by
/// the journal's writer only.
final class JournalLogFile: Sendable {
    private let handle = Mutex<FileHandle?>(nil)

    func open(_ file: FileHandle) {
        handle.withLock { $0 = file }
    }

    /// Throws when the bytes could not be written (a full disk), instead of trapping.
    func append(_ bytes: [UInt8]) throws {
        try handle.withLock { try $0?.write(contentsOf: bytes) }
    }
}

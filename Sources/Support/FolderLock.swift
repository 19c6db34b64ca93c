import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock (flock) on a folder, for a read-modify-write of a file in it that other
/// processes may do at the same time (`blueprint set`, `dev update-blueprint`, `image build`).
/// The folder is locked rather than the file because `AtomicFile` replaces the file: a lock on
/// the old file would not be seen by a process that opens the new one. Nothing is written.
public enum FolderLock {
    /// Runs `body` while holding the lock on the folder that holds `file`; another process
    /// asking for the same lock waits.
    public static func around<T>(folderOf file: String, _ body: () throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError.cannotRead(folder, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw FileError.cannotRead(folder, "could not lock it (\(String(cString: strerror(errno))))")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

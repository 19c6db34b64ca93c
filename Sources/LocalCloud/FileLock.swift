import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a file (flock), held until `unlock()` or release; another process
/// asking for it waits. Used so two `ncaas local up` runs (or two test processes) never build
/// the base image at the same time.
public final class FileLock {
    private var descriptor: Int32

    /// Opens (creating) `path` and waits until the lock is ours.
    public init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LocalCloudError(.failed, "Could not open the lock file \(path): \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(descriptor)
            descriptor = -1
            throw LocalCloudError(.failed, "Could not lock \(path): \(reason).")
        }
    }

    public func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}

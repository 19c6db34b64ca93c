import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open local file (owns the descriptor and closes it once), with plain POSIX reads and writes:
/// transfers move hundreds of megabytes, so no buffering layer in between.
final class LocalFile {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Opens an existing regular file for reading; returns it with its size and permission bits.
    static func openForReading(_ path: String, operation: @autoclosure () -> String) throws -> (file: LocalFile, size: Int, permissions: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error(errno, path: path, operation: operation()) }
        let file = LocalFile(descriptor: fd, path: path)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error(errno, path: path, operation: operation()) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SSHError(.localFile, code: EISDIR, operation: operation(),
                           message: info.st_mode & S_IFMT == S_IFDIR ? "\(path) is a folder, not a file" : "\(path) is not a regular file")
        }
        return (file, Int(info.st_size), Int(info.st_mode & 0o7777))
    }

    /// Creates (or truncates) a file for writing with the given permission bits.
    static func create(_ path: String, permissions: Int, operation: @autoclosure () -> String) throws -> LocalFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(permissions & 0o7777))
        guard fd >= 0 else { throw error(errno, path: path, operation: operation()) }
        return LocalFile(descriptor: fd, path: path)
    }

    /// Reads up to `count` bytes into `buffer` at `offset`; 0 means end of file.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer, offset: Int, count: Int, operation: @autoclosure () -> String) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let n = read(descriptor, base + offset, count)
            if n >= 0 { return n }
            if errno != EINTR { throw Self.error(errno, path: path, operation: operation()) }
        }
    }

    /// Writes all of `bytes`.
    func writeAll(_ bytes: UnsafeRawBufferPointer, operation: @autoclosure () -> String) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = write(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, path: path, operation: operation())
            }
            offset += n
        }
    }

    /// Sets the permission bits exactly (the umask applied at creation).
    func setPermissions(_ permissions: Int, operation: @autoclosure () -> String) throws {
        guard fchmod(descriptor, mode_t(permissions & 0o7777)) == 0 else { throw Self.error(errno, path: path, operation: operation()) }
    }

    static func error(_ code: Int32, path: String, operation: String) -> SSHError {
        let reason: String
        switch code {
        case ENOENT: reason = "\(path) does not exist"
        case EACCES: reason = "permission denied for \(path)"
        case EISDIR: reason = "\(path) is a folder, not a file"
        default: reason = "\(path): \(String(cString: strerror(code)))"
        }
        return SSHError(.localFile, code: code, operation: operation, message: reason)
    }
}

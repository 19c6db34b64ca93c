import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that readers see either entirely old or entirely new: a temporary file in the
/// same folder, flushed to disk, then renamed over the target. (Module Support has the same
/// helper; SSH keeps this one so that it depends on nothing but libssh2.)
enum AtomicFile {
    static func replace(_ path: String, with data: Data, mode: mode_t, operation: @autoclosure () -> String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        func fail(_ code: Int32) -> SSHError {
            SSHError(.localFile, code: code, operation: operation(), message: String(cString: strerror(code)))
        }
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SSHError(.localFile, operation: operation(), message: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail(errno) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { return false }
                let n = write(fd, base + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written, fchmod(fd, mode) == 0, fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw fail(code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw fail(errno) }
        ok = true
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader sees either the old content or the new, never half of either:
/// the bytes go to a temporary file in the same folder, which is flushed and then renamed over
/// the target.
public enum AtomicFile {
    /// Writes `data` to `path`. The file's permission bits are `mode`, or, when nil, those of the
    /// file being replaced (0644 for a new file).
    public static func write(_ data: Data, to path: String, mode: mode_t? = nil) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError.folderMissing(folder)
        }
        let existingMode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value
        let finalMode = mode ?? existingMode.map { mode_t($0) } ?? 0o644
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw FileError.cannotWrite(path, String(cString: strerror(errno))) }
        let temporary = String(cString: template)
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileError.cannotWrite(path, String(cString: strerror(errno)))
                    }
                    offset += n
                }
            }
            guard fchmod(fd, finalMode) == 0, fsync(fd) == 0 else {
                throw FileError.cannotWrite(path, String(cString: strerror(errno)))
            }
        }
        guard rename(temporary, path) == 0 else { throw FileError.cannotWrite(path, String(cString: strerror(errno))) }
        renamed = true
    }

    /// Writes `text` as UTF-8.
    public static func write(_ text: String, to path: String, mode: mode_t? = nil) throws {
        try write(Data(text.utf8), to: path, mode: mode)
    }
}

/// A file-system failure, as one sentence.
public enum FileError: Error, Equatable, CustomStringConvertible {
    case folderMissing(String)
    case cannotWrite(String, String)
    case cannotRead(String, String)
    case notFound(String)

    public var description: String {
        switch self {
        case .folderMissing(let folder): return "The folder \(folder) does not exist."
        case let .cannotWrite(path, reason): return "Could not write \(path): \(reason)."
        case let .cannotRead(path, reason): return "Could not read \(path): \(reason)."
        case .notFound(let path): return "\(path) does not exist."
        }
    }
}

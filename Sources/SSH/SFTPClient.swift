import CSSH2

/// What an SFTP path is, as far as copying cares.
public enum SFTPFileKind: Equatable, Sendable {
    case file, folder, symbolicLink, other
}

/// A remote path's metadata.
public struct SFTPAttributes: Equatable, Sendable {
    public let kind: SFTPFileKind
    /// Size in bytes.
    public let size: Int
    /// Permission bits (like 0o644).
    public let permissions: Int

    init(_ raw: LIBSSH2_SFTP_ATTRIBUTES) {
        let mode = Int(raw.permissions)
        switch mode & Int(LIBSSH2_SFTP_S_IFMT) {
        case Int(LIBSSH2_SFTP_S_IFREG): kind = .file
        case Int(LIBSSH2_SFTP_S_IFDIR): kind = .folder
        case Int(LIBSSH2_SFTP_S_IFLNK): kind = .symbolicLink
        default: kind = .other
        }
        size = raw.flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? Int(clamping: raw.filesize) : 0
        permissions = mode & 0o7777
    }
}

/// How far a transfer has got, reported after each chunk.
public struct SFTPProgress: Equatable, Sendable {
    /// The file being copied (the local path on upload, the remote path on download).
    public let path: String
    public let bytesTransferred: Int
    public let totalBytes: Int

    public init(path: String, bytesTransferred: Int, totalBytes: Int) {
        self.path = path
        self.bytesTransferred = bytesTransferred
        self.totalBytes = totalBytes
    }
}

/// What a file or folder transfer moved.
public struct SFTPTransferSummary: Equatable, Sendable {
    public var files: Int
    public var folders: Int
    public var bytes: Int

    public init(files: Int = 0, folders: Int = 0, bytes: Int = 0) {
        self.files = files
        self.folders = folders
        self.bytes = bytes
    }
}

/// An SFTP subsystem channel on a session (owned: shut down once, in deinit).
///
/// Remote paths are as the server sees them: absolute, or relative to the login's home folder
/// (`~` is not expanded). Each SFTP request may take at most the session's `operationTimeout`.
public final class SFTPClient {
    let pointer: OpaquePointer
    /// The session the channel runs on (kept alive as long as this client).
    public let session: SSHSession
    /// Bytes read from a local file per step and the most unacknowledged upload data in flight.
    let chunkSize: Int
    let uploadWindow: Int

    /// Starts the SFTP subsystem on `session`.
    /// - Parameter chunkSize: bytes per read or write step (64–256 KiB is sensible).
    public init(session: SSHSession, chunkSize: Int = 256 * 1024) throws {
        self.session = session
        self.chunkSize = max(32 * 1024, chunkSize)
        self.uploadWindow = 4 * self.chunkSize
        guard let sftp = libssh2_sftp_init(session.handle) else {
            let code = libssh2_session_last_errno(session.handle)
            try check(code < 0 ? code : LIBSSH2_ERROR_CHANNEL_FAILURE, session: session.handle, "start SFTP on \(session.options.address)")
            throw SSHError(.sftp, operation: "start SFTP on \(session.options.address)", message: "libssh2 returned no SFTP channel")
        }
        pointer = sftp
    }

    deinit {
        libssh2_sftp_shutdown(pointer)
    }

    /// The attributes of `remotePath` (following a final symbolic link), or nil if nothing is there.
    public func attributes(of remotePath: String, followLinks: Bool = true) throws -> SFTPAttributes? {
        var raw = LIBSSH2_SFTP_ATTRIBUTES()
        let code = libssh2_sftp_stat_ex(pointer, remotePath, UInt32(remotePath.utf8.count),
                                        followLinks ? LIBSSH2_SFTP_STAT : LIBSSH2_SFTP_LSTAT, &raw)
        if code == LIBSSH2_ERROR_SFTP_PROTOCOL, isMissing(libssh2_sftp_last_error(pointer)) { return nil }
        try checkSFTP(code, "read the attributes of \(remotePath)")
        return SFTPAttributes(raw)
    }

    /// Creates `remotePath` and any missing parent folders (like `mkdir -p`); fine if it exists as a folder.
    public func makeFolders(_ remotePath: String, permissions: Int = 0o755) throws {
        var components = remotePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var prefix = remotePath.hasPrefix("/") ? "/" : ""
        var created: [String] = []
        while !components.isEmpty {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + components.removeFirst()
            created.append(prefix)
        }
        for path in created {
            switch try attributes(of: path)?.kind {
            case .folder?:
                continue
            case nil:
                try makeFolder(path, permissions: permissions)
            case .some:
                throw SSHError(.sftp, code: Int32(LIBSSH2_FX_FILE_ALREADY_EXISTS), operation: "create the remote folder \(remotePath)",
                               message: "\(path) exists and is not a folder")
            }
        }
    }

    /// Creates one remote folder (its parent must exist).
    public func makeFolder(_ remotePath: String, permissions: Int = 0o755) throws {
        try checkSFTP(libssh2_sftp_mkdir_ex(pointer, remotePath, UInt32(remotePath.utf8.count), permissions),
                      "create the remote folder \(remotePath)")
    }

    /// Removes a remote file.
    public func removeFile(_ remotePath: String) throws {
        try checkSFTP(libssh2_sftp_unlink_ex(pointer, remotePath, UInt32(remotePath.utf8.count)), "remove the remote file \(remotePath)")
    }

    /// The names in a remote folder (without "." and ".."), with their attributes (not following links), sorted by name.
    public func contentsOfFolder(_ remotePath: String) throws -> [(name: String, attributes: SFTPAttributes)] {
        let folder = try SFTPHandle(client: self, path: remotePath, flags: 0, mode: 0, type: LIBSSH2_SFTP_OPENDIR,
                                    operation: "list the remote folder \(remotePath)")
        var entries: [(name: String, attributes: SFTPAttributes)] = []
        var name = [CChar](repeating: 0, count: 4096)
        while true {
            var raw = LIBSSH2_SFTP_ATTRIBUTES()
            let length = libssh2_sftp_readdir_ex(folder.pointer, &name, name.count, nil, 0, &raw)
            if length == 0 { break }
            try checkSFTP(length, "list the remote folder \(remotePath)")
            let entry = String(decoding: name[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if entry == "." || entry == ".." { continue }
            entries.append((entry, SFTPAttributes(raw)))
        }
        try folder.close()
        return entries.sorted { $0.name < $1.name }
    }

    /// The canonical absolute form of a remote path (resolving "..", symbolic links and the home folder).
    public func canonicalPath(_ remotePath: String) throws -> String {
        var target = [CChar](repeating: 0, count: 4096)
        let length = libssh2_sftp_symlink_ex(pointer, remotePath, UInt32(remotePath.utf8.count), &target, UInt32(target.count), LIBSSH2_SFTP_REALPATH)
        try checkSFTP(length, "resolve the remote path \(remotePath)")
        return String(decoding: target[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: - Errors

    /// The one checked path for SFTP calls: SFTP status errors become `.sftp` errors with a readable
    /// reason; other libssh2 errors go through `check`.
    @discardableResult
    func checkSFTP(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
        guard code < 0 else { return code }
        guard code == LIBSSH2_ERROR_SFTP_PROTOCOL else { return try check(code, session: session.handle, operation()) }
        let status = libssh2_sftp_last_error(pointer)
        throw SSHError(.sftp, code: Int32(clamping: status), operation: operation(), message: Self.describe(status: status))
    }

    func isMissing(_ status: UInt) -> Bool {
        status == LIBSSH2_FX_NO_SUCH_FILE || status == LIBSSH2_FX_NO_SUCH_PATH
    }

    static func describe(status: UInt) -> String {
        switch status {
        case LIBSSH2_FX_NO_SUCH_FILE, LIBSSH2_FX_NO_SUCH_PATH: return "no such file or folder on the remote side"
        case LIBSSH2_FX_PERMISSION_DENIED: return "permission denied on the remote side"
        case LIBSSH2_FX_FILE_ALREADY_EXISTS: return "it already exists on the remote side"
        case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM: return "the remote disk is full"
        case LIBSSH2_FX_QUOTA_EXCEEDED: return "the remote quota is exceeded"
        case LIBSSH2_FX_WRITE_PROTECT: return "the remote file system is read-only"
        case LIBSSH2_FX_OP_UNSUPPORTED: return "the server does not support this operation"
        case LIBSSH2_FX_FAILURE: return "the server reported a failure (for example a folder that is not empty, or a path that is not a folder)"
        default: return "SFTP status \(status)"
        }
    }
}

/// One open remote file or folder (owned: closed exactly once, by `close()` or deinit).
final class SFTPHandle {
    let pointer: OpaquePointer
    private let client: SFTPClient
    private var closed = false

    init(client: SFTPClient, path: String, flags: UInt, mode: Int, type: Int32, operation: @autoclosure () -> String) throws {
        self.client = client
        guard let handle = libssh2_sftp_open_ex(client.pointer, path, UInt32(path.utf8.count), flags, mode, type) else {
            let code = libssh2_session_last_errno(client.session.handle)
            try client.checkSFTP(code < 0 ? code : LIBSSH2_ERROR_SFTP_PROTOCOL, operation())
            throw SSHError(.sftp, operation: operation(), message: "the server returned no handle")
        }
        pointer = handle
    }

    /// Closes the handle, reporting the server's answer (a failed close can mean a failed write).
    func close() throws {
        guard !closed else { return }
        closed = true
        try client.checkSFTP(libssh2_sftp_close_handle(pointer), "close a remote file")
    }

    deinit {
        if !closed { libssh2_sftp_close_handle(pointer) }
    }
}

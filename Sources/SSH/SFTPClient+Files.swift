import CSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SFTPClient {
    /// Uploads one local file to `remotePath` (created or replaced), with the local file's permission
    /// bits, and returns the number of bytes sent.
    ///
    /// The data is streamed: up to `uploadWindow` bytes are in flight at once, which libssh2 sends as
    /// pipelined write requests, so throughput is not bound by round trips.
    /// - Parameter progress: called after each acknowledged step.
    @discardableResult
    public func upload(_ localPath: String, to remotePath: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> Int {
        let operation = "upload \(localPath) to \(session.options.address):\(remotePath)"
        let (file, size, permissions) = try LocalFile.openForReading(localPath, operation: operation)
        let remote = try SFTPHandle(client: self, path: remotePath,
                                    flags: UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC),
                                    mode: permissions & 0o777, type: LIBSSH2_SFTP_OPENFILE, operation: operation)

        let window = uploadWindow
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return 0 }
        // [start, end) holds data read from the file that the server has not acknowledged yet; libssh2
        // has already sent part of it and expects it again, from `start`, on the next call.
        var start = 0
        var end = 0
        var sent = 0
        var endOfFile = false
        while true {
            if !endOfFile, end - start <= window / 2 {
                if start > 0 {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
                while end < window, !endOfFile {
                    let count = try file.readChunk(into: buffer, offset: end, count: min(chunkSize, window - end), operation: operation)
                    if count == 0 { endOfFile = true } else { end += count }
                }
            }
            if start == end { break }
            let written = libssh2_sftp_write(remote.pointer, (base + start).assumingMemoryBound(to: CChar.self), end - start)
            try checkSFTP(Int32(clamping: min(written, 0)), operation)
            if written == 0 {
                // Nothing acknowledged yet and libssh2 could not send (the server's window is full):
                // wait for the socket rather than spin.
                session.pause(atMost: 50)
                continue
            }
            start += written
            sent += written
            progress?(SFTPProgress(path: localPath, bytesTransferred: sent, totalBytes: size))
        }

        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
        attributes.permissions = UInt(permissions)
        try checkSFTP(libssh2_sftp_fstat_ex(remote.pointer, &attributes, 1), "set the permissions of \(remotePath)")
        try remote.close()
        return sent
    }

    /// Downloads one remote file to `localPath` (created or replaced), with the remote file's permission
    /// bits, and returns the number of bytes received. The data goes to a temporary file next to
    /// `localPath` that is renamed over it only once complete, so a failed download leaves no partial file.
    /// - Parameter progress: called after each step.
    @discardableResult
    public func download(_ remotePath: String, to localPath: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> Int {
        let operation = "download \(session.options.address):\(remotePath) to \(localPath)"
        guard let attributes = try attributes(of: remotePath) else {
            throw SSHError(.sftp, code: Int32(LIBSSH2_FX_NO_SUCH_FILE), operation: operation, message: "\(remotePath) does not exist on the remote side")
        }
        guard attributes.kind == .file else {
            throw SSHError(.sftp, code: Int32(LIBSSH2_FX_FAILURE), operation: operation,
                           message: attributes.kind == .folder ? "\(remotePath) is a folder, not a file" : "\(remotePath) is not a regular file")
        }
        let remote = try SFTPHandle(client: self, path: remotePath, flags: UInt(LIBSSH2_FXF_READ), mode: 0,
                                    type: LIBSSH2_SFTP_OPENFILE, operation: operation)
        let temporary = "\(localPath).ncaas-partial-\(getpid())"
        let file = try LocalFile.create(temporary, permissions: 0o600, operation: operation)
        var complete = false
        defer { if !complete { unlink(temporary) } }

        // libssh2 reads ahead (pipelined requests) up to four times the buffer it is given.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return 0 }
        var received = 0
        while true {
            let count = libssh2_sftp_read(remote.pointer, base.assumingMemoryBound(to: CChar.self), buffer.count)
            if count == 0 { break }
            try checkSFTP(Int32(clamping: min(count, 0)), operation)
            try file.writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), operation: operation)
            received += count
            progress?(SFTPProgress(path: remotePath, bytesTransferred: received, totalBytes: attributes.size))
        }
        try remote.close()
        try file.setPermissions(attributes.permissions, operation: operation)
        guard rename(temporary, localPath) == 0 else { throw LocalFile.error(errno, path: localPath, operation: operation) }
        complete = true
        return received
    }
}

extension SSHSession {
    /// Starts an SFTP client on this session.
    public func sftp() throws -> SFTPClient { try SFTPClient(session: self) }
}

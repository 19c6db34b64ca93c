import CSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SFTPClient {
    /// Uploads the contents of the local folder `localPath` into `remotePath` recursively: the remote folder
    /// (and missing parents) is created, files are replaced, permission bits are kept. Symbolic links
    /// are followed; anything that is neither a file nor a folder (a socket, a device, a link loop)
    /// stops the upload with an error naming it: nothing is skipped silently.
    /// - Parameter progress: called after each step of each file.
    @discardableResult
    public func uploadFolder(_ localPath: String, to remotePath: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> SFTPTransferSummary {
        let operation = "upload the folder \(localPath) to \(session.options.address):\(remotePath)"
        var info = stat()
        guard stat(localPath, &info) == 0 else { throw LocalFile.error(errno, path: localPath, operation: operation) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SSHError(.localFile, code: ENOTDIR, operation: operation, message: "\(localPath) is not a folder")
        }
        try makeFolders(remotePath, permissions: Int(info.st_mode & 0o777))
        var summary = SFTPTransferSummary(folders: 1)
        var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
        try uploadContents(of: localPath, to: remotePath, visited: &visited, summary: &summary, progress: progress, operation: operation)
        return summary
    }

    private func uploadContents(of localFolder: String, to remoteFolder: String, visited: inout Set<[UInt64]>,
                                summary: inout SFTPTransferSummary, progress: ((SFTPProgress) -> Void)?, operation: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: localFolder).sorted()
        } catch {
            throw SSHError(.localFile, operation: operation, message: "cannot list \(localFolder): \(error.localizedDescription)")
        }
        for name in names {
            let local = localFolder + "/" + name
            let remote = remoteFolder + "/" + name
            var info = stat()
            guard stat(local, &info) == 0 else { throw LocalFile.error(errno, path: local, operation: operation) }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                summary.bytes += try upload(local, to: remote, progress: progress)
                summary.files += 1
            case S_IFDIR:
                guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
                    throw SSHError(.localFile, code: ELOOP, operation: operation, message: "\(local) links back to a folder already being copied")
                }
                switch try attributes(of: remote)?.kind {
                case .folder?: break
                case nil: try makeFolder(remote, permissions: Int(info.st_mode & 0o777))
                case .some: throw SSHError(.sftp, code: Int32(LIBSSH2_FX_FAILURE), operation: operation, message: "\(remote) exists on the remote side and is not a folder")
                }
                summary.folders += 1
                try uploadContents(of: local, to: remote, visited: &visited, summary: &summary, progress: progress, operation: operation)
            default:
                throw SSHError(.localFile, code: EINVAL, operation: operation,
                               message: "\(local) is neither a file nor a folder (a socket, a pipe or a device), and only files and folders are copied")
            }
        }
    }

    /// Downloads the contents of the remote folder `remotePath` into the local folder `localPath` recursively
    /// (created with missing parents; files replaced; permission bits kept). Symbolic links are followed;
    /// anything that is neither a file nor a folder, or a link loop, stops the download with an error
    /// naming it.
    /// - Parameter progress: called after each step of each file.
    @discardableResult
    public func downloadFolder(_ remotePath: String, to localPath: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> SFTPTransferSummary {
        let operation = "download the folder \(session.options.address):\(remotePath) to \(localPath)"
        guard let attributes = try attributes(of: remotePath) else {
            throw SSHError(.sftp, code: Int32(LIBSSH2_FX_NO_SUCH_FILE), operation: operation, message: "\(remotePath) does not exist on the remote side")
        }
        guard attributes.kind == .folder else {
            throw SSHError(.sftp, code: Int32(LIBSSH2_FX_FAILURE), operation: operation, message: "\(remotePath) is not a folder")
        }
        try makeLocalFolder(localPath, permissions: attributes.permissions, parents: true, operation: operation)
        var summary = SFTPTransferSummary(folders: 1)
        var visited: Set<String> = [try canonicalPath(remotePath)]
        try downloadContents(of: remotePath, to: localPath, visited: &visited, summary: &summary, progress: progress, operation: operation)
        return summary
    }

    private func downloadContents(of remoteFolder: String, to localFolder: String, visited: inout Set<String>,
                                  summary: inout SFTPTransferSummary, progress: ((SFTPProgress) -> Void)?, operation: String) throws {
        for (name, entry) in try contentsOfFolder(remoteFolder) {
            let remote = remoteFolder + "/" + name
            let local = localFolder + "/" + name
            var kind = entry.kind
            var permissions = entry.permissions
            if kind == .symbolicLink {
                guard let target = try attributes(of: remote) else {
                    throw SSHError(.sftp, code: Int32(LIBSSH2_FX_NO_SUCH_FILE), operation: operation, message: "\(remote) is a symbolic link to nothing")
                }
                kind = target.kind
                permissions = target.permissions
            }
            switch kind {
            case .file:
                summary.bytes += try download(remote, to: local, progress: progress)
                summary.files += 1
            case .folder:
                guard visited.insert(try canonicalPath(remote)).inserted else {
                    throw SSHError(.sftp, code: Int32(LIBSSH2_FX_FAILURE), operation: operation, message: "\(remote) links back to a folder already being copied")
                }
                try makeLocalFolder(local, permissions: permissions, parents: false, operation: operation)
                summary.folders += 1
                try downloadContents(of: remote, to: local, visited: &visited, summary: &summary, progress: progress, operation: operation)
            case .symbolicLink, .other:
                throw SSHError(.sftp, code: Int32(LIBSSH2_FX_OP_UNSUPPORTED), operation: operation,
                               message: "\(remote) is neither a file nor a folder (a socket, a pipe or a device), and only files and folders are copied")
            }
        }
    }

    private func makeLocalFolder(_ path: String, permissions: Int, parents: Bool, operation: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw SSHError(.localFile, code: EEXIST, operation: operation, message: "\(path) exists and is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: parents,
                                                    attributes: [.posixPermissions: permissions & 0o777 | 0o700])
        } catch {
            throw SSHError(.localFile, operation: operation, message: "cannot create \(path): \(error.localizedDescription)")
        }
    }
}

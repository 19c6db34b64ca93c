import AWS
import Foundation
import Support
import SSH

/// `ncaas dev exec/put/get/ssh`: reaching the running dev instance.
public struct DevShell {
    public var cloud: DevCloud

    public init(cloud: DevCloud) { self.cloud = cloud }

    /// A session to the running dev instance of `analysis`.
    public func session(_ analysis: String) throws -> SSHSession {
        let (instance, _) = try DevInstances(cloud: cloud).current(analysis)
        guard instance.stateName == .running else {
            throw DevError(.unavailable, "The dev instance \(instance.instanceId) is \(instance.state); start it with `ncaas dev start \(AnalysisHint.name(analysis))`.")
        }
        return try InstanceConnection(cloud: cloud, keyPair: try DevKeys.local(cloud.home)).connect(to: instance, timeout: 30)
    }

    /// Runs `command` with its output streamed; returns its exit status.
    public func exec(_ analysis: String, command: String, input: SSHCommandInput = .none,
                     stdout: (Data) -> Void, stderr: (Data) -> Void) throws -> SSHExitStatus {
        try session(analysis).exec(command, input: input, stdout: stdout, stderr: stderr)
    }

    /// Copies a local file or folder to the instance.
    public func put(_ analysis: String, local: String, remote: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> SFTPTransferSummary {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: local, isDirectory: &isFolder) else {
            throw DevError(.notFound, "\(local) does not exist.")
        }
        let sftp = try session(analysis).sftp()
        if isFolder.boolValue { return try sftp.uploadFolder(local, to: remote, progress: progress) }
        let bytes = try sftp.upload(local, to: try Self.target(remote, name: (local as NSString).lastPathComponent, sftp: sftp), progress: progress)
        return SFTPTransferSummary(files: 1, bytes: bytes)
    }

    /// Copies a file or folder from the instance.
    public func get(_ analysis: String, remote: String, local: String, progress: ((SFTPProgress) -> Void)? = nil) throws -> SFTPTransferSummary {
        let sftp = try session(analysis).sftp()
        guard let attributes = try sftp.attributes(of: remote) else {
            throw DevError(.notFound, "\(remote) does not exist on the dev instance.")
        }
        if attributes.kind == .folder { return try sftp.downloadFolder(remote, to: local, progress: progress) }
        var target = local
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isFolder), isFolder.boolValue {
            target = (local as NSString).appendingPathComponent((remote as NSString).lastPathComponent)
        }
        return SFTPTransferSummary(files: 1, bytes: try sftp.download(remote, to: target, progress: progress))
    }

    /// The arguments of the system `ssh` client for an interactive session (`ssh ARGS`).
    public func systemSSHArguments(_ analysis: String) throws -> [String] {
        let (instance, _) = try DevInstances(cloud: cloud).current(analysis)
        guard instance.stateName == .running else {
            throw DevError(.unavailable, "The dev instance \(instance.instanceId) is \(instance.state); start it with `ncaas dev start \(AnalysisHint.name(analysis))`.")
        }
        return try InstanceConnection(cloud: cloud, keyPair: try DevKeys.local(cloud.home)).options(for: instance).systemSSHArguments
    }

    /// `remote`, or `remote/name` when `remote` is an existing folder (like `scp`).
    static func target(_ remote: String, name: String, sftp: SFTPClient) throws -> String {
        if remote.hasSuffix("/") { return remote + name }
        if let attributes = try sftp.attributes(of: remote), attributes.kind == .folder { return remote + "/" + name }
        return remote
    }
}

import Foundation

/// An ed25519 key pair on this machine: the private key file (mode 0600, never sent anywhere) and
/// its public half next to it (`PATH.pub`), whose one-line text is what EC2 ImportKeyPair takes.
public struct SSHKeyPair: Equatable, Sendable {
    /// The private key file (OpenSSH format, unencrypted, mode 0600).
    public let privateKeyPath: String
    /// The public key line: `ssh-ed25519 AAAA... comment`.
    public let publicKeyLine: String

    /// The public key file, `privateKeyPath + ".pub"`.
    public var publicKeyPath: String { privateKeyPath + ".pub" }

    /// Generates a new ed25519 key pair at `path` (and `path.pub`) with the system `ssh-keygen`,
    /// creating the folder (mode 0700) if needed. Refuses to overwrite an existing key.
    /// - Parameter keygen: the ssh-keygen executable.
    public static func generate(at path: String, comment: String = "ncaas", keygen: String = "/usr/bin/ssh-keygen") throws -> SSHKeyPair {
        let operation = "generate an SSH key pair at \(path)"
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path), !manager.fileExists(atPath: path + ".pub") else {
            throw SSHError(.key, code: EEXIST, operation: operation, message: "a key already exists there",
                           hint: "Use the existing key, or delete both \(path) and \(path).pub to make a new one.")
        }
        guard manager.isExecutableFile(atPath: keygen) else {
            throw SSHError(.key, code: ENOENT, operation: operation, message: "\(keygen) is not installed",
                           hint: "Install the openssh-client package.")
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !manager.fileExists(atPath: folder) {
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SSHError(.key, operation: operation, message: "cannot create \(folder): \(error.localizedDescription)")
            }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: keygen)
        process.arguments = ["-t", "ed25519", "-N", "", "-C", comment, "-f", path, "-q"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SSHError(.key, operation: operation, message: "cannot start \(keygen): \(error.localizedDescription)")
        }
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SSHError(.key, code: process.terminationStatus, operation: operation,
                           message: reason.isEmpty ? "ssh-keygen exited with status \(process.terminationStatus)" : reason)
        }
        chmod(path, 0o600)  // ssh-keygen writes 0600 already; make it explicit
        return try load(privateKeyPath: path)
    }

    /// An existing key pair: checks that the private key exists and reads the public key line from `PATH.pub`.
    public static func load(privateKeyPath: String) throws -> SSHKeyPair {
        let operation = "read the SSH key pair \(privateKeyPath)"
        guard FileManager.default.isReadableFile(atPath: privateKeyPath) else {
            throw SSHError(.key, code: ENOENT, operation: operation, message: "the private key file does not exist or is not readable")
        }
        let text: String
        do {
            text = try String(contentsOfFile: privateKeyPath + ".pub", encoding: .utf8)
        } catch {
            throw SSHError(.key, code: ENOENT, operation: operation, message: "cannot read the public key \(privateKeyPath).pub: \(error.localizedDescription)")
        }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard SSHPublicKey(openSSHLine: line) != nil else {
            throw SSHError(.key, operation: operation, message: "\(privateKeyPath).pub is not an OpenSSH public key line")
        }
        return SSHKeyPair(privateKeyPath: privateKeyPath, publicKeyLine: line)
    }

    /// The public key's fingerprint as `ssh-keygen -l` prints it ("SHA256:...").
    public var fingerprint: String { SSHPublicKey(openSSHLine: publicKeyLine)?.fingerprint ?? "" }

    /// The public key.
    public var publicKey: SSHPublicKey? { SSHPublicKey(openSSHLine: publicKeyLine) }
}

import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// A key pair made with ssh-keygen in a temporary folder, and a known-hosts file for pinning.
final class TestKeys {
    let folder: URL
    let privateKey: String
    let publicKey: String
    let knownHosts: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-lc-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        privateKey = folder.appendingPathComponent("id_ed25519").path
        knownHosts = folder.appendingPathComponent("known_hosts").path
        let made = try ProcessRunner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ncaas-test", "-f", privateKey])
        guard made.succeeded else { throw TestSupportError("ssh-keygen failed: \(made.stderr)") }
        publicKey = try String(contentsOfFile: privateKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = FileManager.default.createFile(atPath: knownHosts, contents: nil)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Pins the instance's host keys, as the backing learnt them out of band, for
    /// `127.0.0.1:port` (replacing an earlier pin for that address). Returns the ed25519 key.
    func pin(_ instanceId: String, port: Int, backing: any InstanceBacking) throws -> String {
        let keys = try backing.hostPublicKeys(of: instanceId)
        guard let ed25519 = keys.first(where: { $0.hasPrefix("ssh-ed25519 ") }) else {
            throw TestSupportError("no ed25519 host key among \(keys)")
        }
        let lines = keys.map { "[127.0.0.1]:\(port) \($0)\n" }.joined()
        try lines.write(toFile: knownHosts, atomically: true, encoding: .utf8)
        return ed25519
    }

    /// Runs `command` as ubuntu over the system ssh client, host key checked strictly.
    func ssh(port: Int, _ command: String) throws -> ProcessResult {
        try ProcessRunner.run("ssh", [
            "-i", privateKey, "-p", String(port),
            "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR",
            "ubuntu@127.0.0.1", command,
        ], timeout: 60)
    }
}

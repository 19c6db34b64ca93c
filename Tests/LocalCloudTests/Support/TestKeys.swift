import Foundation
import TestSupport

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

    /// Pins the host keys printed between cloud-init's markers in `console` for `host` (port 22),
    /// replacing earlier pins. Returns how many were pinned.
    @discardableResult
    func pin(fromConsole console: String, host: String) throws -> Int {
        guard let begin = console.range(of: "-----BEGIN SSH HOST KEY KEYS-----\n"),
              let end = console.range(of: "-----END SSH HOST KEY KEYS-----", range: begin.upperBound..<console.endIndex) else {
            throw TestSupportError("the console shows no host keys:\n\(console)")
        }
        let keys = console[begin.upperBound..<end.lowerBound].split(separator: "\n")
            .map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        try keys.map { "\(host) \($0)\n" }.joined().write(toFile: knownHosts, atomically: true, encoding: .utf8)
        return keys.count
    }

    /// Runs `command` as `user`@`host` on port 22 over the system ssh client, host key checked
    /// strictly, retrying while sshd does not answer yet.
    func ssh(_ user: String, _ host: String, _ command: String, port: Int = 22) throws -> ProcessResult {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let result = try ProcessRunner.run("ssh", [
                "-i", privateKey, "-p", String(port),
                "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                "\(user)@\(host)", command,
            ], timeout: 60)
            if result.exitCode != 255 || Date() > deadline { return result }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}

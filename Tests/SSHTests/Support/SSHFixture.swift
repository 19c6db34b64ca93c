import Foundation
import SSH
import TestSupport

/// What most SSH tests need: a scratch folder, a client key pair made by `SSHKeyPair.generate`, a real
/// sshd that accepts that key for the current user, and a known hosts file.
final class SSHFixture {
    let folder: URL
    let keyPair: SSHKeyPair
    let server: SSHDServer
    let knownHosts: KnownHosts

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-ssh-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        keyPair = try SSHKeyPair.generate(at: folder.appendingPathComponent("keys/id_ed25519").path)
        server = try SSHDServer(authorizedKeys: [keyPair.publicKeyLine])
        knownHosts = KnownHosts(path: folder.appendingPathComponent("known_hosts").path)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Options for the fixture's server as the current user.
    func options(port: Int? = nil, key: String? = nil, knownHosts: KnownHosts? = nil) -> SSHConnectionOptions {
        SSHConnectionOptions(host: "127.0.0.1", port: port ?? server.port, user: SSHDServer.currentUser,
                             privateKeyPath: key ?? keyPair.privateKeyPath, knownHosts: knownHosts ?? self.knownHosts,
                             connectTimeout: .seconds(5), operationTimeout: .seconds(20))
    }

    func connect() throws -> SSHSession { try SSHSession(options()) }

    /// A fresh empty folder inside the scratch folder.
    func scratch(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// One fixture per test class, started on first use and stopped when the class finishes.
enum SharedFixtures {
    nonisolated(unsafe) private static var fixtures: [String: SSHFixture] = [:]
    private static let lock = NSLock()

    static func fixture(for testClass: AnyClass) throws -> SSHFixture {
        lock.lock()
        defer { lock.unlock() }
        let key = String(describing: testClass)
        if let existing = fixtures[key] { return existing }
        let made = try SSHFixture()
        fixtures[key] = made
        return made
    }

    static func release(_ testClass: AnyClass) {
        lock.lock()
        defer { lock.unlock() }
        fixtures[String(describing: testClass)] = nil
    }
}

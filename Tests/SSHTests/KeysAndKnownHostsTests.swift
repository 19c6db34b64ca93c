import Foundation
import Support
import SSH
import TestSupport
import XCTest

final class SSHKeyPairTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-keys-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    func testGeneratesAPrivateKeyOnlyTheOwnerCanReadAndAnImportablePublicLine() throws {
        let path = folder.appendingPathComponent("nested/id_ed25519").path
        let pair = try SSHKeyPair.generate(at: path)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("nested").path)[.posixPermissions] as? Int, 0o700)
        XCTAssertTrue(pair.publicKeyLine.hasPrefix("ssh-ed25519 AAAA"), pair.publicKeyLine)
        XCTAssertTrue(pair.publicKeyLine.hasSuffix(" ncaas"), pair.publicKeyLine)
        XCTAssertEqual(pair, try SSHKeyPair.load(privateKeyPath: path))

        // ssh-keygen derives the same public key from the private file and the same fingerprint.
        let derived = try ProcessRunner.run("ssh-keygen", ["-y", "-f", path])
        XCTAssertEqual(derived.stdout.trimmingCharacters(in: .newlines), pair.publicKeyLine)
        let listed = try ProcessRunner.run("ssh-keygen", ["-l", "-E", "sha256", "-f", pair.publicKeyPath])
        XCTAssertEqual(listed.stdout.split(separator: " ").dropFirst().first.map(String.init), pair.fingerprint)
    }

    func testRefusesToOverwriteAKey() throws {
        let path = folder.appendingPathComponent("id").path
        let first = try SSHKeyPair.generate(at: path)
        XCTAssertThrowsError(try SSHKeyPair.generate(at: path)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .key)
            XCTAssertTrue("\(error)".contains("a key already exists there"), "\(error)")
        }
        XCTAssertEqual(try SSHKeyPair.load(privateKeyPath: path), first)
    }

    func testLoadingAMissingKeyNamesIt() {
        let path = folder.appendingPathComponent("absent").path
        XCTAssertThrowsError(try SSHKeyPair.load(privateKeyPath: path)) { error in
            XCTAssertEqual("\(error)", "Could not read the SSH key pair \(path): the private key file does not exist or is not readable.")
        }
    }
}

final class KnownHostsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-known-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    func testEntryNamesFollowOpenSSH() {
        XCTAssertEqual(KnownHosts.entryName(host: "10.0.0.5", port: 22), "10.0.0.5")
        XCTAssertEqual(KnownHosts.entryName(host: "127.0.0.1", port: 2222), "[127.0.0.1]:2222")
    }

    func testFingerprintsMatchSSHKeygen() throws {
        for type in ["ed25519", "ecdsa", "rsa"] {
            let path = folder.appendingPathComponent("key-\(type)").path
            XCTAssertTrue(try ProcessRunner.run("ssh-keygen", ["-t", type, "-N", "", "-q", "-f", path]).succeeded)
            let key = try publicKey(path + ".pub")
            let listed = try ProcessRunner.run("ssh-keygen", ["-l", "-E", "sha256", "-f", path + ".pub"])
            XCTAssertEqual(listed.stdout.split(separator: " ").dropFirst().first.map(String.init), key.fingerprint, type)
        }
    }

    func testPinVerifyForgetAndLinesOfOtherToolsSurvive() throws {
        let path = folder.appendingPathComponent("sub/known_hosts").path
        let first = try makeKey("a")
        let second = try makeKey("b")
        let store = KnownHosts(path: path)
        XCTAssertEqual(try store.keys(for: "[h]:1"), [])

        XCTAssertEqual(try store.verify(first, for: "[h]:1"), .pinned)
        XCTAssertEqual(try store.verify(first, for: "[h]:1"), .matched)
        XCTAssertThrowsError(try store.verify(second, for: "[h]:1")) { XCTAssertEqual(($0 as? SSHError)?.kind, .hostKeyMismatch) }

        // Lines written by other tools (comments, hashed names, markers) are kept and never match.
        let foreign = "# a comment\n|1|c2FsdA==|aGFzaA== \(second.type) \(second.base64)\n@revoked [h]:1 \(second.type) \(second.base64)\n"
        let existing = try String(contentsOfFile: path, encoding: .utf8)
        try (foreign + existing).write(toFile: path, atomically: true, encoding: .utf8)
        try store.pin(second, for: "[other]:2")
        XCTAssertEqual(try store.keys(for: "[h]:1"), [first])
        XCTAssertEqual(try store.keys(for: "[other]:2"), [second])
        XCTAssertEqual(try store.forget("[h]:1"), 1)
        XCTAssertEqual(try store.keys(for: "[h]:1"), [])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), foreign + "[other]:2 \(second.type) \(second.base64)\n")
        XCTAssertEqual(try store.verify(second, for: "[h]:1"), .pinned)
    }

    func testAPinIsSharedWithOtherNamesOnTheSameLine() throws {
        let path = folder.appendingPathComponent("known_hosts").path
        let key = try makeKey("c")
        try "[h]:1,i-1 \(key.type) \(key.base64)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let store = KnownHosts(path: path)
        XCTAssertEqual(try store.keys(for: "i-1"), [key])
        XCTAssertEqual(try store.forget("i-1"), 1)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "[h]:1 \(key.type) \(key.base64)\n")
    }

    func testConcurrentPinsAreAllKept() throws {
        let path = folder.appendingPathComponent("known_hosts").path
        let key = try makeKey("d")
        let errors = LockedValue<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            do {
                try KnownHosts(path: path).pin(key, for: "[127.0.0.1]:\(2000 + index)")
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(errors.value, [])
        let store = KnownHosts(path: path)
        for index in 0..<16 {
            XCTAssertEqual(try store.keys(for: "[127.0.0.1]:\(2000 + index)"), [key], "pin \(index) was lost")
        }
    }

    private func makeKey(_ name: String) throws -> SSHPublicKey {
        let path = folder.appendingPathComponent(name).path
        XCTAssertTrue(try ProcessRunner.run("ssh-keygen", ["-t", "ed25519", "-N", "", "-q", "-f", path]).succeeded)
        return try publicKey(path + ".pub")
    }

    private func publicKey(_ path: String) throws -> SSHPublicKey {
        let fields = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ").map(String.init)
        return try XCTUnwrap(SSHPublicKey(type: fields[0], base64: fields[1]))
    }
}

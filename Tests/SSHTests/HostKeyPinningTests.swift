import Foundation
import SSH
import TestSupport
import XCTest

/// Pinning against real servers: these tests start and replace their own sshd, so they do not share one.
final class HostKeyPinningTests: XCTestCase {
    private var fixture: SSHFixture!

    override func setUpWithError() throws {
        fixture = try SSHFixture()
    }

    override func tearDown() {
        fixture = nil
        super.tearDown()
    }

    func testFirstContactPinsTheKeyInAFileTheSystemClientAccepts() throws {
        let session = try fixture.connect()
        XCTAssertEqual(session.hostKeyVerification, .pinned)
        XCTAssertEqual(session.hostKey, fixture.server.hostKey)
        let line = try String(contentsOfFile: fixture.knownHosts.path, encoding: .utf8)
        let serverKey = fixture.server.hostPublicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        XCTAssertEqual(line, "[127.0.0.1]:\(fixture.server.port) \(serverKey)\n")

        XCTAssertEqual(try fixture.connect().hostKeyVerification, .matched)
        // The system client trusts the same file with strict checking.
        let ssh = try ProcessRunner.run("ssh", ["-o", "BatchMode=yes"] + fixture.options().systemSSHArguments + ["echo", "ok"], timeout: 20)
        XCTAssertEqual(ssh.stdout, "ok\n", ssh.stderr)
    }

    func testAReplacedServerOnTheSameAddressIsRefusedWithBothFingerprintsAndTheReset() throws {
        _ = try fixture.connect()
        let oldFingerprint = try fixture.server.hostKeyFingerprint()
        let port = fixture.server.port
        fixture.server.stop()
        let impostor = try SSHDServer(port: port, authorizedKeys: [fixture.keyPair.publicKeyLine])
        defer { impostor.stop() }
        let newFingerprint = try impostor.hostKeyFingerprint()
        XCTAssertNotEqual(oldFingerprint, newFingerprint)

        XCTAssertThrowsError(try fixture.connect()) { error in
            guard let error = error as? SSHError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .hostKeyMismatch)
            let text = error.description
            XCTAssertTrue(text.hasPrefix("Could not verify the host key of [127.0.0.1]:\(port): it offered ssh-ed25519 \(newFingerprint), but \(oldFingerprint) is pinned for it in \(fixture.knownHosts.path)"), text)
            XCTAssertTrue(text.contains("remove the pin with `ssh-keygen -R '[127.0.0.1]:\(port)' -f \(fixture.knownHosts.path)`"), text)
        }
        // The pin is untouched by the refusal, and the system client refuses too.
        XCTAssertEqual(try fixture.knownHosts.keys(for: "[127.0.0.1]:\(port)"), [fixture.server.hostKey].compactMap { $0 })
        let refused = try ProcessRunner.run("ssh", ["-o", "BatchMode=yes"] + fixture.options().systemSSHArguments + ["true"], timeout: 20)
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("Host key verification failed"), refused.stderr)

        // Following the advice resets the pin.
        let reset = try ProcessRunner.run("ssh-keygen", ["-R", "[127.0.0.1]:\(port)", "-f", fixture.knownHosts.path])
        XCTAssertTrue(reset.succeeded, reset.stderr)
        let session = try fixture.connect()
        XCTAssertEqual(session.hostKeyVerification, .pinned)
        XCTAssertEqual(session.hostKey, impostor.hostKey)
    }

    func testAnAliasPinsPerInstanceSoAReusedAddressIsNotAnImpostor() throws {
        var options = fixture.options()
        options.hostKeyAlias = "i-0123456789abcdef0"
        _ = try SSHSession(options)
        XCTAssertEqual(try fixture.knownHosts.keys(for: "i-0123456789abcdef0"), [fixture.server.hostKey].compactMap { $0 })
        XCTAssertEqual(try fixture.knownHosts.keys(for: "[127.0.0.1]:\(fixture.server.port)"), [])

        // The system client finds the pin through the same alias.
        let ssh = try ProcessRunner.run("ssh", ["-o", "BatchMode=yes"] + options.systemSSHArguments + ["echo", "ok"], timeout: 20)
        XCTAssertEqual(ssh.stdout, "ok\n", ssh.stderr)

        // A new instance on the same address gets its own pin.
        let port = fixture.server.port
        fixture.server.stop()
        let next = try SSHDServer(port: port, authorizedKeys: [fixture.keyPair.publicKeyLine])
        defer { next.stop() }
        options.hostKeyAlias = "i-0fedcba9876543210"
        XCTAssertEqual(try SSHSession(options).hostKeyVerification, .pinned)
        options.hostKeyAlias = "i-0123456789abcdef0"
        XCTAssertThrowsError(try SSHSession(options)) { XCTAssertEqual(($0 as? SSHError)?.kind, .hostKeyMismatch) }
    }

    func testAKeyPinnedAheadOfFirstContactIsChecked() throws {
        // As the local cloud does: read the instance's host key out of band, pin it, then require pins.
        var options = fixture.options()
        options.hostKeyPolicy = .requirePinned
        let stranger = try XCTUnwrap(SSHPublicKey(openSSHLine: fixture.keyPair.publicKeyLine))
        try fixture.knownHosts.pin(stranger, for: options.hostKeyName)
        XCTAssertThrowsError(try SSHSession(options)) { XCTAssertEqual(($0 as? SSHError)?.kind, .hostKeyMismatch) }

        try fixture.knownHosts.forget(options.hostKeyName)
        try fixture.knownHosts.pin(try XCTUnwrap(SSHPublicKey(openSSHLine: fixture.server.hostPublicKeyLine)), for: options.hostKeyName)
        XCTAssertEqual(try SSHSession(options).hostKeyVerification, .matched)
    }

    func testRequirePinnedRefusesAnUnknownHost() throws {
        var options = fixture.options()
        options.hostKeyPolicy = .requirePinned
        XCTAssertThrowsError(try SSHSession(options)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .hostKeyMismatch)
            XCTAssertTrue("\(error)".contains("no key is pinned for it"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.knownHosts.path))
    }
}

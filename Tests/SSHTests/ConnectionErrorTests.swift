import Foundation
import SSH
import TestSupport
import XCTest

final class ConnectionErrorTests: XCTestCase {
    override class func tearDown() {
        SharedFixtures.release(self)
        super.tearDown()
    }

    private func fixture() throws -> SSHFixture { try SharedFixtures.fixture(for: Self.self) }

    func testAKeyTheServerDoesNotKnowIsAnAuthenticationError() throws {
        let fixture = try fixture()
        let stranger = try SSHKeyPair.generate(at: try fixture.scratch("stranger").appendingPathComponent("id").path)
        XCTAssertThrowsError(try SSHSession(fixture.options(key: stranger.privateKeyPath))) { error in
            guard let error = error as? SSHError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .authentication)
            XCTAssertTrue(error.description.hasPrefix(
                "Could not log in to 127.0.0.1:\(fixture.server.port) as \(SSHDServer.currentUser) with the key \(stranger.privateKeyPath): the server refused this key for this user"),
                error.description)
        }
    }

    func testAWrongUserIsAnAuthenticationError() throws {
        let fixture = try fixture()
        var options = fixture.options()
        options.user = "nobody-here"
        XCTAssertThrowsError(try SSHSession(options)) { XCTAssertEqual(($0 as? SSHError)?.kind, .authentication, "\($0)") }
    }

    func testAMissingKeyFileIsNamed() throws {
        let fixture = try fixture()
        let missing = fixture.folder.appendingPathComponent("no-such-key").path
        XCTAssertThrowsError(try SSHSession(fixture.options(key: missing))) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .authentication)
            XCTAssertTrue("\(error)".contains("with the key \(missing): the key file does not exist"), "\(error)")
        }
    }

    func testConnectionRefusedIsAConnectionError() throws {
        let fixture = try fixture()
        let port = try FreePort.next()  // nobody listens there
        let start = ContinuousClock.now
        XCTAssertThrowsError(try SSHSession(fixture.options(port: port))) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .connection)
            XCTAssertEqual("\(error)", "Could not connect to 127.0.0.1:\(port): Connection refused.")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
    }

    func testAServerThatNeverGreetsTimesOut() throws {
        let fixture = try fixture()
        let silent = try SilentListener()
        var options = fixture.options(port: silent.port)
        options.connectTimeout = .milliseconds(500)
        let start = ContinuousClock.now
        XCTAssertThrowsError(try SSHSession(options)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .timeout, "\(error)")
            XCTAssertEqual("\(error)", "Could not complete the SSH handshake with 127.0.0.1:\(silent.port): no answer within 0.5 s.")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
    }

    func testAnUnknownHostNameIsAConnectionError() throws {
        let fixture = try fixture()
        var options = fixture.options()
        options.host = "no-such-host.invalid"
        XCTAssertThrowsError(try SSHSession(options)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .connection)
            XCTAssertTrue("\(error)".hasPrefix("Could not connect to no-such-host.invalid:"), "\(error)")
        }
    }

    func testKeepalivesCanBeSentOnAnIdleSession() throws {
        let session = try fixture().connect()
        let next = try session.sendKeepaliveIfDue()
        XCTAssertGreaterThan(next, 0)
        XCTAssertEqual(try session.exec("echo alive").stdoutText, "alive\n")
    }
}

/// A TCP listener on a loopback port that accepts connections (through the kernel's backlog) but never says anything.
private final class SilentListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 4) == 0 else { throw TestSupportError("cannot listen on loopback") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

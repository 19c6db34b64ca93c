import Foundation
import XCTest

/// A test class that shares one moto server (auth on) among its tests: started before the
/// first test of the class, stopped after the last.
class MotoTestCase: XCTestCase {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var servers: [ObjectIdentifier: Result<MotoFixture, Error>] = [:]

    /// Whether this class's moto checks signatures and IAM policies (it should, unless the
    /// class tests something moto cannot verify).
    class var motoChecksAuth: Bool { true }

    override class func setUp() {
        super.setUp()
        let started = Result { try MotoFixture(checksAuth: motoChecksAuth) }
        lock.lock()
        servers[ObjectIdentifier(self)] = started
        lock.unlock()
    }

    override class func tearDown() {
        lock.lock()
        let server = servers.removeValue(forKey: ObjectIdentifier(self))
        lock.unlock()
        if case .success(let moto) = server { moto.stop() }
        super.tearDown()
    }

    /// This class's moto server; throws (failing the test) when it did not start.
    var moto: MotoFixture {
        get throws {
            Self.lock.lock()
            let server = Self.servers[ObjectIdentifier(type(of: self))]
            Self.lock.unlock()
            guard let server else { throw NSError(domain: "MotoTestCase", code: 1, userInfo: [NSLocalizedDescriptionKey: "moto was not started"]) }
            return try server.get()
        }
    }
}

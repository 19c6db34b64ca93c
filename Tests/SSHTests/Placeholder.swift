import XCTest
final class SSHTestsPlaceholder: XCTestCase { func testBuilds() {} }

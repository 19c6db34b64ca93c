import XCTest
final class JQTestsPlaceholder: XCTestCase { func testBuilds() {} }

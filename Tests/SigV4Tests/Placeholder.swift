import XCTest
final class SigV4TestsPlaceholder: XCTestCase { func testBuilds() {} }

import XCTest
final class NativeSmokeTestsPlaceholder: XCTestCase { func testBuilds() {} }

import XCTest
final class DeployTestsPlaceholder: XCTestCase { func testBuilds() {} }

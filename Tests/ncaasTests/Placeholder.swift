import XCTest
final class ncaasTestsPlaceholder: XCTestCase { func testBuilds() {} }

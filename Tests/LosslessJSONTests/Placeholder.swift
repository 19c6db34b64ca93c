import XCTest
final class LosslessJSONTestsPlaceholder: XCTestCase { func testBuilds() {} }

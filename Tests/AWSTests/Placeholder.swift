import XCTest
final class AWSTestsPlaceholder: XCTestCase { func testBuilds() {} }

import XCTest
final class LocalCloudTestsPlaceholder: XCTestCase { func testBuilds() {} }

import XCTest
final class BlueprintTestsPlaceholder: XCTestCase { func testBuilds() {} }

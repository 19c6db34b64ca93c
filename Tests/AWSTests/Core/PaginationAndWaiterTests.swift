import XCTest
@testable import AWS

final class PaginationAndWaiterTests: XCTestCase {
    func testPaginatorFollowsTokensAndEnforcesItsLimit() throws {
        let pages = ["": Page(items: [1, 2], nextToken: "a"), "a": Page(items: [3], nextToken: "b"), "b": Page(items: [4], nextToken: nil)]
        XCTAssertEqual(try Paginator.all(operation: "List") { pages[$0 ?? ""]! }, [1, 2, 3, 4])
        XCTAssertThrowsError(try Paginator.all(operation: "List", pageLimit: 2) { pages[$0 ?? ""]! }) {
            XCTAssertEqual(($0 as? AWSClientError)?.kind, .pageLimitExceeded)
        }
        XCTAssertThrowsError(try Paginator.all(operation: "List") { _ in Page(items: [0], nextToken: "same") }) {
            XCTAssertEqual(($0 as? AWSClientError)?.kind, .invalidResponse)
        }
    }

    /// A clock that only moves when the waiter sleeps.
    final class FakeTime: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 0)
        var sleeps: [TimeInterval] = []
    }

    private func client(_ time: FakeTime) -> AWSClient {
        AWSClient(region: "us-east-1", credentials: .init(accessKeyId: "a", secretAccessKey: "b"), transport: CurlTransport(),
                  endpoint: "http://127.0.0.1:1", clock: { time.now }, sleep: { time.sleeps.append($0); time.now += $0 })
    }

    func testWaiterStartsShortGrowsAndReportsEachNewStatus() throws {
        let time = FakeTime()
        var polls = 0
        var reported: [String] = []
        let value = try client(time).wait(for: "thing", progress: { reported.append($0) }) { () -> WaiterOutcome<String> in
            polls += 1
            return polls < 6 ? .pending(status: polls < 3 ? "PENDING" : "ALMOST") : .done("ok")
        }
        XCTAssertEqual(value, "ok")
        XCTAssertEqual(reported, ["PENDING", "ALMOST"])
        XCTAssertEqual(time.sleeps.count, 5)
        XCTAssertEqual(time.sleeps[0], 0.05, accuracy: 1e-9)
        XCTAssertEqual(time.sleeps[1], 0.075, accuracy: 1e-9)
        XCTAssertTrue(time.sleeps.allSatisfy { $0 <= 2 })
    }

    func testWaiterGivesUpAtTheDeadlineAndOnFailure() {
        let time = FakeTime()
        XCTAssertThrowsError(try client(time).wait(for: "stack x", policy: WaiterPolicy(timeout: 10)) { () -> WaiterOutcome<Int> in
            .pending(status: "CREATE_IN_PROGRESS")
        }) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .waiterTimedOut)
            XCTAssertTrue("\(error)".contains("CREATE_IN_PROGRESS"))
        }
        XCTAssertEqual(time.now.timeIntervalSince1970, 10, accuracy: 1e-6)
        XCTAssertThrowsError(try client(time).wait(for: "image") { () -> WaiterOutcome<Int> in .failed(reason: "the image is failed") }) {
            XCTAssertEqual(($0 as? AWSClientError)?.kind, .waiterFailed)
        }
    }
}

import AWS
import DevAMI
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// A job's lease is claimed atomically on a real S3 API (moto, checks on): of managers claiming
/// one job at once exactly one gets it, a live lease is left alone, and a stale one is taken over
/// by exactly one of those racing for it.
final class ManagerLeaseTests: XCTestCase {
    private var moto: MotoServer!
    private var s3: S3Client!
    private let layout = JobLayout(bucket: "lease-tests", analysis: "lease-tests", group: "lab", timestamp: "t1")

    override func setUpWithError() throws {
        moto = try MotoServer()
        s3 = moto.client(moto.adminCredentials).s3
        try s3.createBucket(layout.bucket)
    }

    override func tearDown() { moto?.stop() }

    /// `count` managers claim at once; their answers.
    private func race(_ count: Int, now: Date = Date()) -> [ManagerLease.Claim?] {
        let answers = LockedValue<[ManagerLease.Claim?]>(Array(repeating: nil, count: count))
        let s3 = self.s3!, layout = self.layout
        EachOnItsOwnThread.run(count) { index in
            let claim = try? ManagerLease(s3: s3, layout: layout).claim(interval: 2, now: now)
            answers.withLock { $0[index] = claim }
        }
        return answers.value
    }

    func testOfManagersClaimingAtOnceExactlyOneRunsTheJob() throws {
        let answers = race(8)
        XCTAssertEqual(answers.filter { $0 == .claimed }.count, 1, "\(answers)")
        XCTAssertEqual(answers.filter { if case .held = $0 { return true } else { return false } }.count, 7, "\(answers)")
        XCTAssertNotNil(ManagerLease.lastHeartbeat(s3: s3, layout: layout))
    }

    func testALiveLeaseIsLeftAloneAndAStaleOneIsTakenOverOnce() throws {
        XCTAssertEqual(try ManagerLease(s3: s3, layout: layout).claim(interval: 2, now: Date()), .claimed)
        // Within three intervals (6 s) the lease is alive.
        XCTAssertEqual(race(4, now: Date().addingTimeInterval(5)).filter { $0 == .claimed }.count, 0)
        // Past them its manager is taken for dead: one of the managers racing for it takes it over.
        let later = race(6, now: Date().addingTimeInterval(30))
        XCTAssertEqual(later.filter { $0 == .claimed }.count, 1, "\(later)")
    }
}

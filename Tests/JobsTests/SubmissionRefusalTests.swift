import AWS
import Foundation
import Jobs
import TestSupport
import XCTest

/// Submissions `ncaas test-job` refuses before anything is uploaded or launched, through the built
/// binary on a local cloud with moto's signature and IAM checks on: one sentence each, NeuroCAAS's
/// wording (the field, the key, "without the bucket name"), a non-zero exit code, no change.
final class SubmissionRefusalTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<JobsWorld, Error>?
    private var world: JobsWorld!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try JobsWorld(buildImage: false) } }
        world = try Self.shared!.get()
    }

    override func tearDownWithError() throws {
        guard let world else { return }
        XCTAssertEqual(try world.cli.containerCount(), 0, "no instance container outlives the test")
    }

    override class func tearDown() {
        if case .success(let world)? = shared { world.close() }
        shared = nil
    }

    func testAMissingDatasetOrConfigIsRefusedBeforeAnyLaunch() throws {
        let before = try world.jobInstances("spike-stats").count
        let submit = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/nope.csv"], config: "neurolab/configs/none.yaml", timestamp: "missing")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(run.exitCode, 66, run.stderr)
        XCTAssertTrue(run.stderr.contains(#"INPUT ERROR: nothing was launched: "dataname" "neurolab/inputs/nope.csv" does not exist in the bucket spike-stats (give the key without the bucket name"#), run.stderr)
        XCTAssertTrue(run.stderr.contains(#""configname" "neurolab/configs/none.yaml" does not exist in the bucket spike-stats"#), run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, "one sentence: \(run.stderr)")
        let withBucket = try world.submit(["spike-stats/neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "missing", name: "b_submit.json")
        let named = try world.cli.ncaas("test-job", "spike-stats", withBucket)
        XCTAssertEqual(named.exitCode, 66, named.stderr)
        XCTAssertTrue(named.stderr.contains(#"give the key without the bucket name: "neurolab/inputs/session1.csv""#), named.stderr)
        let malformed = world.cli.folder.appendingPathComponent("bad_submit.json").path
        try #"{"dataname": "neurolab/inputs/session1.csv", "timestamp": "missing"}"#.write(toFile: malformed, atomically: true, encoding: .utf8)
        let bad = try world.cli.ncaas("test-job", "spike-stats", malformed)
        XCTAssertEqual(bad.exitCode, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains(#"does not contain the field "configname""#), bad.stderr)
        // Nothing changed: no instance, no submission, no result folder.
        XCTAssertEqual(try world.jobInstances("spike-stats").count, before)
        XCTAssertNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/submissions/b_submit.json"))
        XCTAssertNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/results/job__spike-stats_missing/logs/certificate.txt"))
    }

    func testAGroupThatIsNotAnAffiliateOrAMissingFileIsRefused() throws {
        let submit = try world.submit(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "group")
        let stranger = try world.cli.ncaas("test-job", "spike-stats", submit, "--group", "otherlab")
        XCTAssertEqual(stranger.exitCode, 66, stranger.stderr)
        XCTAssertTrue(stranger.stderr.contains("The group 'otherlab' is not an affiliate of spike-stats (its affiliates: neurolab)."), stranger.stderr)
        let absent = try world.cli.ncaas("test-job", "spike-stats", "no-such-submit.json")
        XCTAssertEqual(absent.exitCode, 66, absent.stderr)
        let put = try world.cli.ncaas("data", "put", "spike-stats", "neurolab", "blueprints/spike-stats/data/session1.csv", "missing.csv")
        XCTAssertEqual(put.exitCode, 66, put.stderr)
        XCTAssertTrue(put.stderr.contains("missing.csv does not exist; nothing was uploaded."), put.stderr)
        XCTAssertEqual(try world.jobInstances("spike-stats").count, 0)
    }
}

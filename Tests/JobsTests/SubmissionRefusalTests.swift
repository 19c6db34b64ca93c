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

    /// "grp/../other/inputs/x.csv" passed the group check while libcurl sent "other/inputs/x.csv";
    /// a key with "." or ".." segments is refused before anything is read.
    func testAKeyWithDotSegmentsIsRefused() throws {
        try world.put("spike-stats", "otherlab/inputs/x.csv", "another group's data\n")
        let submit = try world.submit(["neurolab/../otherlab/inputs/x.csv"], config: "neurolab/configs/config.json", timestamp: "dots")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(run.exitCode, 65, run.stderr)
        XCTAssertEqual(run.stderr, #"ncaas: INPUT ERROR: "dataname" "neurolab/../otherlab/inputs/x.csv" in submit.json has a "." or ".." segment; S3 keys are names, not paths, so write the key exactly as it is stored, without "." or ".."."# + "\n")
        XCTAssertNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/submissions/submit.json"), "nothing uploaded")
        XCTAssertEqual(try world.jobInstances("spike-stats").count, 0)
    }

    /// 10,000 missing keys took 44 s to report (one HEAD each): a folder is listed once; a submission
    /// names at most 1000 datasets.
    func testManyKeysAreCheckedWithOneListingAndTheCountIsCapped() throws {
        let proxy = try FaultProxy(upstream: world.cli.moto.endpoint)
        defer { proxy.stop() }
        let names = (0..<998).map { String(format: "neurolab/inputs/k%04d.csv", $0) } + ["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"]
        let submit = try world.submit(names, config: "neurolab/configs/config.json", timestamp: "many")
        let started = Date()
        let run = try world.cli.ncaas("test-job", "spike-stats", submit, "--endpoint-url", proxy.endpoint)
        XCTAssertEqual(run.exitCode, 66, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix(#"ncaas: INPUT ERROR: nothing was launched: "dataname" "neurolab/inputs/k0000.csv" does not exist"#), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("; and 988 more keys like these.\n"), run.stderr)
        XCTAssertFalse(run.stderr.contains("session1.csv"), "the keys that exist are found in the listing")
        let seen = try proxy.requests()
        XCTAssertLessThanOrEqual(seen.filter { $0.method == "HEAD" && $0.target.contains("/neurolab/inputs/") }.count, 1, "\(seen.map(\.target))")
        XCTAssertLessThanOrEqual(seen.filter { $0.target.contains("list-type=2") }.count, 2, "\(seen.map(\.target))")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)

        let tooMany = try world.submit((0...1000).map { "neurolab/inputs/n\($0).csv" }, config: "neurolab/configs/config.json", timestamp: "capped")
        let capped = try world.cli.ncaas("test-job", "spike-stats", tooMany)
        XCTAssertEqual(capped.exitCode, 65, capped.stderr)
        XCTAssertTrue(capped.stderr.contains(#""dataname" in submit.json names 1001 datasets; a submission may name at most 1000 (each runs on its own instance), so split it into several submit files."#), capped.stderr)
    }
}

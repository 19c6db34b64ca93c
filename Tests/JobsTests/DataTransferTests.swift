import AWS
import Foundation
import Jobs
import TestSupport
import XCTest

/// `ncaas data put` and `data get` when not everything can be done, through the built binary on
/// a local cloud with moto's checks on: a failed upload names what was uploaded and what was not
/// (and running it again finishes it); a download says what it skipped and why.
final class DataTransferTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<JobsWorld, Error>?
    private var world: JobsWorld!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try JobsWorld(buildImage: false) } }
        world = try Self.shared!.get()
    }

    override class func tearDown() {
        if case .success(let world)? = shared { world.close() }
        shared = nil
    }

    private func ncaas(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(LocalCloudCLIFixture.binary, arguments, environment: world.cli.environment, currentDirectory: world.cli.path, timeout: 120)
    }

    func testAnUploadStoppedPartWayNamesWhatWasUploadedAndARerunFinishes() throws {
        let names = ["p1.csv", "p2.csv", "p3.csv", "p4.csv"]
        for name in names { try "\(name)\n".write(to: world.cli.folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let proxy = try FaultProxy(upstream: world.cli.moto.endpoint,
                                   faults: [FaultProxy.Fault.error(status: 403, code: "AccessDenied").matching("PUT /spike-stats/neurolab/inputs/p3.csv")])
        defer { proxy.stop() }
        let stopped = try ncaas(["data", "put", "spike-stats", "neurolab"] + names + ["--endpoint-url", proxy.endpoint])
        XCTAssertEqual(stopped.exitCode, 77, stopped.stderr)
        XCTAssertTrue(stopped.stderr.hasPrefix("ncaas: S3 refused PutObject: AccessDenied"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.hasSuffix(" Done before it stopped: uploaded p1.csv, p2.csv. Not done: p3.csv, p4.csv were not uploaded; run the same command again to upload them.\n"), stopped.stderr)
        XCTAssertNotNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/inputs/p2.csv"))
        XCTAssertNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/inputs/p3.csv"))

        let again = try ncaas(["data", "put", "spike-stats", "neurolab"] + names)
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        for name in names { XCTAssertEqual(try world.text("spike-stats", "neurolab/inputs/\(name)"), "\(name)\n") }
    }

    func testADownloadSaysWhatItSkippedAndWhy() throws {
        let prefix = "neurolab/results/job__spike-stats_dots/"
        try world.put("spike-stats", prefix + "logs/certificate.txt", "STEP 1/4\n")
        try world.put("spike-stats", prefix + "process_results/../../../../escaped.txt", "outside\n")
        let destination = world.cli.folder.appendingPathComponent("got/inner").standardizedFileURL.path
        let get = try world.cli.ncaas("data", "get", "spike-stats", "neurolab", "job__spike-stats_dots", "got/inner")  // relative, as typed
        XCTAssertEqual(get.exitCode, 1, get.stderr)
        XCTAssertEqual(get.stderr, "ncaas: Skipped 1 object and downloaded the other 1: s3://spike-stats/\(prefix)process_results/../../../../escaped.txt (its key has a \"..\" segment, so it would be written outside \(destination)); fetch it by hand under a name of your choice if you need it.\n")
        XCTAssertEqual(try String(contentsOfFile: destination + "/logs/certificate.txt", encoding: .utf8), "STEP 1/4\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: world.cli.folder.appendingPathComponent("escaped.txt").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: world.cli.folder.appendingPathComponent("got/escaped.txt").path))
    }
}

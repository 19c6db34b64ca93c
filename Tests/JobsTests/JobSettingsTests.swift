import AWS
import Blueprint
import Foundation
import Jobs
import LosslessJSON
import XCTest

/// What a job reads from the blueprint: staging is SFTP unless `ncaas.jobs.staging` says "direct",
/// and any other value is refused in one sentence naming the field.
final class JobSettingsTests: XCTestCase {
    private func settings(ncaas: String) throws -> JobSettings {
        let text = """
            {"PipelineName": "p-1", "Lambda": {"LambdaConfig": {"AMI": "debian12", "INSTANCE_TYPE": "t3.micro",
             "COMMAND": "run {} {} {} {}", "EXECUTION_TIMEOUT": 5, "DEPLOY_LIMIT": 2, "MAXCOST": 10}}\(ncaas)}
            """
        return try JobSettings.from(Blueprint(document: try JSONDocument(bytes: Array(text.utf8))))
    }

    func testStagingIsSFTPUnlessTheBlueprintSaysDirect() throws {
        XCTAssertEqual(try settings(ncaas: "").staging, .sftp)
        XCTAssertEqual(try settings(ncaas: #", "ncaas": {"jobs": {"staging": "sftp"}}"#).staging, .sftp)
        XCTAssertEqual(try settings(ncaas: #", "ncaas": {"jobs": {"staging": "direct"}}"#).staging, .direct)
    }

    func testTheBucketIsNcaasBucketElseThePipelineName() throws {
        XCTAssertEqual(try settings(ncaas: "").bucket, "p-1", "NeuroCAAS's default: the bucket is the PipelineName")
        let own = try settings(ncaas: #", "ncaas": {"bucket": "p-1-data.lab"}"#)
        XCTAssertEqual(own.bucket, "p-1-data.lab")
        XCTAssertEqual(own.analysis, "p-1")
        let layout = JobLayout(bucket: own.bucket, analysis: own.analysis, group: "lab", timestamp: "t1")
        XCTAssertEqual(layout.jobName, "job__p-1_t1", "job names keep the analysis name")
        XCTAssertTrue(JobTags.shared(layout).contains(Tag(key: JobTags.bucket, value: "p-1-data.lab")), "gc finds the certificate in the right bucket")
    }

    func testAnotherStagingIsRefusedNamingTheField() {
        for value in [#""s3""#, "true", #"["direct"]"#] {
            XCTAssertThrowsError(try settings(ncaas: #", "ncaas": {"jobs": {"staging": \#(value)}}"#)) { error in
                XCTAssertEqual((error as? JobError)?.kind, .badInput)
                XCTAssertEqual((error as? JobError)?.message,
                               #"The blueprint's ncaas.jobs.staging must be "sftp" (ncaas copies the dataset in) or "direct" (COMMAND reads S3 itself)."#)
            }
        }
    }
}

/// MAXCOST counts a dataset's instance from launch to terminate, a minute at the least; a dataset on
/// a reused instance (or a record older than those fields) counts COMMAND's run.
final class BilledSecondsTests: XCTestCase {
    func testLaunchToTerminateElseStartToFinish() {
        var status = DatasetStatus(status: .success, input: "lab/inputs/a.csv")
        XCTAssertNil(status.billedSeconds)
        status.jobStart = "2026-12-02T00:00:10Z"
        status.jobFinish = "2026-12-02T00:01:10Z"
        XCTAssertEqual(status.billedSeconds, 60)
        status.instanceLaunch = "2026-12-02T00:00:00Z"
        XCTAssertEqual(status.billedSeconds, 70, "launched, never recorded as terminated: until it finished")
        status.instanceTerminate = "2026-12-02T00:01:30Z"
        XCTAssertEqual(status.billedSeconds, 90)
        status.instanceTerminate = "2026-12-02T00:00:01Z"
        XCTAssertEqual(status.billedSeconds, 60, "EC2's minimum: a minute")
    }
}

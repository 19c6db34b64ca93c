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

    func testTheMarketIsOnDemandUnlessTheBlueprintSaysSpot() throws {
        XCTAssertEqual(try settings(ncaas: "").market, .onDemand)
        XCTAssertEqual(try settings(ncaas: #", "ncaas": {"jobs": {"market": "spot"}}"#).market, .spot)
        let fallback = try settings(ncaas: #", "ncaas": {"jobs": {"market": "spot-then-on-demand"}}"#).market
        XCTAssertEqual([fallback.first, fallback.fallback], [.spot, .onDemand], "spot first, on-demand for the second attempt")
        XCTAssertEqual([JobMarket.spot.first, JobMarket.spot.fallback], [.spot, .spot])
        XCTAssertThrowsError(try settings(ncaas: #", "ncaas": {"jobs": {"market": "cheap"}}"#)) { error in
            XCTAssertEqual((error as? JobError)?.kind, .badInput)
            XCTAssertEqual((error as? JobError)?.message,
                           #"The blueprint's ncaas.jobs.market must be "on-demand", "spot" or "spot-then-on-demand" (where job instances come from); correct it with `ncaas blueprint set p-1 ncaas.jobs.market '"spot"'`."#)
        }
    }

    /// NeuroCAAS's units: SSM_TIMEOUT (seconds) limits COMMAND, EXECUTION_TIMEOUT (seconds) is the
    /// launcher's own limit (pmd's 180 s is 180 s, not 3 h), a config's `__duration__` is minutes.
    func testTimeLimitsAreReadInNeuroCAASsUnits() throws {
        let pmd = try settings(ncaas: "")  // EXECUTION_TIMEOUT 5, no SSM_TIMEOUT
        XCTAssertEqual(pmd.launchTimeoutSeconds, 5)
        XCTAssertEqual(pmd.commandTimeoutSeconds, 172_000, "NeuroCAAS's default SSM_TIMEOUT")
        let text = #"{"PipelineName": "pmd", "Lambda": {"LambdaConfig": {"AMI": "ubuntu18", "INSTANCE_TYPE": "p2.xlarge", "COMMAND": "run {} {} {} {}", "EXECUTION_TIMEOUT": 180, "SSM_TIMEOUT": 3600}}}"#
        let read = try JobSettings.from(Blueprint(document: try JSONDocument(text: text)))
        XCTAssertEqual(read.launchTimeoutSeconds, 180)
        XCTAssertEqual(read.commandTimeoutSeconds, 3600)
        XCTAssertEqual(try ConfigDuration.minutes(in: Data(#"{"__duration__": 30}"#.utf8), key: "c.json"), 30)
        XCTAssertEqual(try ConfigDuration.minutes(in: Data("__duration__: 2.5 # minutes\n".utf8), key: "c.yaml"), 2.5)
    }

    /// COMMAND runs as root unless `ncaas.jobs.user` says who (as NeuroCAAS's SSM runs it); ncaas logs
    /// in as `ncaas.ssh.user` when given.
    func testCommandRunsAsRootUnlessTheBlueprintNamesAUser() throws {
        XCTAssertEqual(try settings(ncaas: "").commandUser, "root")
        XCTAssertNil(try settings(ncaas: "").loginUser)
        let chosen = try settings(ncaas: #", "ncaas": {"jobs": {"user": "ubuntu"}, "ssh": {"user": "ec2-user"}}"#)
        XCTAssertEqual(chosen.commandUser, "ubuntu")
        XCTAssertEqual(chosen.loginUser, "ec2-user")
        XCTAssertThrowsError(try settings(ncaas: #", "ncaas": {"jobs": {"user": "root; reboot"}}"#)) { error in
            XCTAssertEqual("\(error)", #"The blueprint's ncaas.jobs.user must be a user name such as "root" or "ubuntu"."#)
        }
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

/// The blueprint's numeric fields, fuzzed: every value either fails validation with a sentence at its
/// path, or validates and reads into the job's settings without trapping (DEPLOY_LIMIT `1e999`
/// passed validate and deploy, then killed test-job and jobs serve with SIGILL converting it to Int).
final class NumericFieldFuzzTests: XCTestCase {
    private func blueprint(_ key: String, _ literal: String) throws -> JSONDocument {
        try JSONDocument(text: """
            {"PipelineName": "p-1", "REGION": "us-east-1", "STAGE": "develop", "Lambda": {"LambdaConfig": {"AMI": "debian12", "INSTANCE_TYPE": "t3.micro",
             "COMMAND": "run {} {} {} {}", "\(key)": \(literal)}},
             "UXData": {"Affiliates": [{"AffiliateName": "lab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]}}
            """)
    }

    func testEveryValueIsRefusedWithASentenceOrReadWithoutTrapping() throws {
        var literals = ["1e999", "-1e999", "1e300", "9223372036854775808", "9223372036854775807", "18446744073709551616", "1e-400", "-0",
                        "0", "0.0", "1", "2.5", "-1", "10000", "10001", "43200", "43200.5", "172800", "172801", "1000000", "1000001",
                        #""1e999""#, #""nan""#, #""inf""#, #""-inf""#, #""  7 ""#, #""""#, "true", "null", "[]", "{}", #""0x10""#]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let mantissa = Double.random(in: -10...10, using: &generator)
            let exponent = Int.random(in: -30...330, using: &generator)
            literals.append("\(String(format: "%.6g", mantissa))e\(exponent)")
            literals.append(String(UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        for field in LambdaConfigNumbers.fields {
            for literal in literals {
                let document = try blueprint(field.key, literal)
                let path = "Lambda.LambdaConfig.\(field.key)"
                let errors = BlueprintValidator.validate(document).filter { $0.severity == .error }
                let settings = Result { try JobSettings.from(Blueprint(document: document)) }
                if let error = errors.first {
                    XCTAssertEqual(errors.count, 1, "\(field.key) = \(literal): \(errors)")
                    XCTAssertEqual(error.path, path)
                    XCTAssertNotNil(error.line, "the finding has its position")
                    XCTAssertTrue(error.message.hasSuffix("."), error.message)
                    XCTAssertThrowsError(try settings.get(), "\(field.key) = \(literal) is invalid, so no job reads it") { error in
                        XCTAssertEqual((error as? JobError)?.kind, .badInput)
                        XCTAssertTrue("\(error)".hasPrefix("The blueprint's \(path) "), "\(error)")
                    }
                } else {
                    let read = try settings.get()
                    XCTAssertLessThanOrEqual(read.deployLimit, 10_000)
                    XCTAssertTrue(read.launchTimeoutSeconds > 0 && read.launchTimeoutSeconds <= 86_400)
                    XCTAssertTrue(read.commandTimeoutSeconds > 0 && read.commandTimeoutSeconds <= 172_800)
                    XCTAssertTrue(read.maxCost >= 0 && read.maxCost <= 1_000_000)
                }
            }
        }
    }

    func testTheRefusalsSayTheRange() throws {
        let errors = BlueprintValidator.validate(try blueprint("DEPLOY_LIMIT", "1e999")).filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.message), ["is 1e999; it must be zero or more and at most 10000 (job instances that may run at once, at most 10000)."])
        XCTAssertThrowsError(try ConfigDuration.minutes(in: Data(#"{"__duration__": 1e300}"#.utf8), key: "c.json")) { error in
            XCTAssertEqual("\(error)", "The config c.json sets __duration__ to 1e+300 minutes; it must be at most 43200 (30 days).")
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

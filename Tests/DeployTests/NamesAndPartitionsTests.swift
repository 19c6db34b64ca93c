import Blueprint
@testable import Deploy
import Foundation
import LosslessJSON
import TestSupport
import XCTest

/// Names AWS would reject are refused at render, before any call; the rendered template names
/// the partition only through CloudFormation's pseudo-parameters and lints clean in each.
final class NamesAndPartitionsTests: XCTestCase {
    private func blueprint(name: String, bucket: String? = nil, affiliates: [(name: String, users: [String])] = [("lab", ["ann"])]) -> String {
        var text = DeployFixtures.blueprintText(name: name, affiliates: affiliates)
        if let bucket {
            text = text.replacingOccurrences(of: "\"REGION\": \"us-east-1\",", with: "\"REGION\": \"us-east-1\",\n  \"ncaas\": {\"bucket\": \"\(bucket)\"},")
        }
        return text
    }

    func testADigitFirstPipelineNameIsRefusedWithTheRuleNamed() throws {
        XCTAssertThrowsError(try DeployFixtures.template(blueprint(name: "2p-analysis"))) { error in
            XCTAssertEqual(error as? DeployError, .invalidBlueprint([
                "PipelineName: The name '2p-analysis' starts with a digit: CloudFormation stack names must start with a letter "
                    + "(name the analysis e.g. 'a2p-analysis'; the bucket may keep the digit through ncaas.bucket).",
            ]))
        }
        let findings = BlueprintValidator.validate(try JSONDocument(text: blueprint(name: "2p-analysis")))
        XCTAssertTrue(findings.contains { $0.severity == .error && $0.message.contains("CloudFormation stack names must start with a letter") }, "\(findings)")
        // The bucket may start with a digit when it is named on its own.
        XCTAssertEqual(try DeployFixtures.template(blueprint(name: "p-analysis", bucket: "2p-analysis")).naming.bucketName, "2p-analysis")
    }

    func testBucketNamesFollowS3sRules() {
        XCTAssertNil(BucketName.problem(with: "lab-data.example-2"))
        XCTAssertNil(BucketName.problem(with: "2p-analysis"))
        XCTAssertTrue(BucketName.problem(with: "ab")?.contains("3 to 63") == true)
        XCTAssertTrue(BucketName.problem(with: String(repeating: "b", count: 64))?.contains("3 to 63") == true)
        XCTAssertTrue(BucketName.problem(with: "Lab")?.contains("contains 'L'") == true)
        XCTAssertTrue(BucketName.problem(with: "lab..data")?.contains("two dots") == true)
        XCTAssertTrue(BucketName.problem(with: "192.168.5.4")?.contains("IP address") == true)
        XCTAssertTrue(BucketName.problem(with: "xn--lab")?.contains("reserves") == true)
        XCTAssertTrue(BucketName.problem(with: "lab-s3alias")?.contains("reserves") == true)
        XCTAssertTrue(BucketName.problem(with: "-lab")?.contains("begin and end") == true)
        XCTAssertThrowsError(try DeployFixtures.template(blueprint(name: "fine-name", bucket: "Bad_Bucket"))) { error in
            XCTAssertTrue("\(error)".contains("ncaas.bucket: The bucket name 'Bad_Bucket' contains 'B'"), "\(error)")
        }
        let findings = BlueprintValidator.validate(try! JSONDocument(text: blueprint(name: "fine-name", bucket: "Bad_Bucket")))
        XCTAssertTrue(findings.contains { $0.path == "ncaas.bucket" && $0.severity == .error }, "\(findings)")
    }

    func testEveryDerivedNameOfTheLongestAnalysisNameFitsItsLimit() throws {
        let longest = "a" + String(repeating: "b", count: 62)
        XCTAssertNil(AnalysisName.problem(with: longest))
        let naming = StackNaming(analysis: longest)
        XCTAssertNil(naming.derivedNameProblem)
        let tightest = try XCTUnwrap(naming.derivedNames.min { ($0.limit - $0.name.utf8.count) < ($1.limit - $1.name.utf8.count) })
        XCTAssertEqual(tightest.name, naming.deadLetterQueueName, "the dead-letter queue leaves the least room")
        XCTAssertEqual(tightest.name.utf8.count, 72)
        XCTAssertLessThanOrEqual(tightest.name.utf8.count, 80)
        XCTAssertNotNil(StackNaming(analysis: String(repeating: "q", count: 75)).derivedNameProblem, "the check itself bites")
    }

    func testNcaasBucketNamesTheBucketEverywhereTheTemplateUsesIt() throws {
        let template = try DeployFixtures.template(blueprint(name: "spike-lab", bucket: "spike-lab-data.example"))
        XCTAssertEqual(template.naming.stackName, "spike-lab")
        XCTAssertEqual(template.naming.jobQueueName, "spike-lab-jobs")
        let text = template.text
        XCTAssertTrue(text.contains("\"BucketName\": \"spike-lab-data.example\""), text)
        XCTAssertTrue(text.contains("arn:${AWS::Partition}:s3:::spike-lab-data.example/lab/inputs/*"), "affiliate policies name the bucket")
        XCTAssertFalse(text.contains("s3:::spike-lab\""), "no ARN names the PipelineName as a bucket")
        let settings = try XCTUnwrap(StackNaming(blueprint: template.blueprint))
        XCTAssertEqual(settings.bucketName, "spike-lab-data.example")
    }

    func testTheTemplateNamesThePartitionOnlyThroughPseudoParameters() throws {
        let template = try DeployFixtures.template(blueprint(name: "partitioned", affiliates: [("lab-a", ["ann"]), ("lab-b", [])]))
        let text = template.text
        XCTAssertFalse(text.contains("arn:aws:"), "no ARN hard-codes the commercial partition")
        XCTAssertFalse(text.contains("ec2.amazonaws.com"), "EC2's principal is ec2.amazonaws.com.cn in China")
        XCTAssertTrue(text.contains("\"Fn::Sub\": \"ec2.${AWS::URLSuffix}\""), text)
        XCTAssertTrue(text.contains("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/ncaas/partitioned/lambda-config"))

        let china = PolicyDocuments(naming: template.naming, mode: .resolved(partition: "aws-cn", region: "cn-north-1", accountId: "123456789012"))
        let trust = JSONWriter.compact.render(china.instanceTrust, baseIndent: "")
        XCTAssertTrue(trust.contains("\"ec2.amazonaws.com.cn\""), trust)
        let access = JSONWriter.compact.render(china.instanceAccess, baseIndent: "")
        XCTAssertTrue(access.contains("arn:aws-cn:s3:::partitioned"), access)

        // cfn-lint checks the template against each partition's resource specifications.
        let folder = try DeployFixtures.scratchFolder(for: self)
        let path = folder.appendingPathComponent("partitioned.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run("cfn-lint", ["--format", "json", "--regions", "us-east-1", "us-gov-west-1", "cn-north-1", "--", path],
                                           timeout: 300)
        XCTAssertFalse(result.timedOut)
        let findings = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
        XCTAssertTrue(result.exitCode == 0 || !result.stdout.isEmpty, "cfn-lint did not run: \(result.stderr)")
        XCTAssertEqual(findings.filter { ($0["Level"] as? String) == "Error" }.count, 0, "cfn-lint errors: \(findings)")
        XCTAssertEqual(result.exitCode & 2, 0, result.stdout)
    }

    func testSQSsDeletedRecentlyRefusalIsRecognisedAndWaitedOutWithProgress() {
        XCTAssertTrue(QueueCooldown.isDeletedRecently(
            "Resource handler returned message: \"You must wait 60 seconds after deleting a queue before you can create another with the same name. "
                + "(Service: Sqs, Status Code: 400, Request ID: x)\" (HandlerErrorCode: AlreadyExists)"))
        XCTAssertTrue(QueueCooldown.isDeletedRecently("AWS.SimpleQueueService.QueueDeletedRecently"))
        XCTAssertFalse(QueueCooldown.isDeletedRecently("Queue already exists"))
        XCTAssertFalse(QueueCooldown.isDeletedRecently(nil))
        var slept: [TimeInterval] = []
        var lines: [String] = []
        QueueCooldown.wait(queue: "spike-jobs", sleep: { slept.append($0) }, progress: { if case .step(let line) = $0 { lines.append(line) } })
        XCTAssertEqual(slept.reduce(0, +), 60)
        XCTAssertEqual(lines.first, "waiting for SQS to free the name spike-jobs: 60 s left (a queue's name stays taken 60 s after it is deleted)")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(DeployError.queueDeletedRecently(stack: "spike", queue: "spike-jobs").description.hasSuffix("run `ncaas deploy spike --replace`."))
    }

    func testBucketTakenElsewhereOffersAnOwnBucketName() {
        for error in [DeployError.bucketForbidden("spike"), .bucketInAnotherRegion(bucket: "spike", region: "eu-west-1"), .bucketTaken("spike")] {
            XCTAssertTrue(error.description.contains("ncaas.bucket '\"spike-data\"'"), error.description)
            XCTAssertTrue(error.description.hasSuffix("nothing was deployed."), error.description)
        }
        XCTAssertTrue(DeployError.bucketInAnotherRegion(bucket: "spike", region: "eu-west-1").description.contains("taken in eu-west-1"))
        XCTAssertTrue(DeployError.bucketInAnotherRegion(bucket: "spike", region: nil).description.contains("taken in another region"))
    }
}

import AWS
import Foundation
import Jobs
import TestSupport
import XCTest

/// An account without a default VPC, as many institutional accounts are: the blueprint's
/// `ncaas.network.subnet` puts the stack's job security group in the subnet's VPC and the job's
/// instances in the subnet, and a job runs there to SUCCESS.
final class SubnetJobTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture?

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no instance container outlives the test") }
    }

    func testAJobRunsInTheBlueprintsSubnetOfAnAccountWithoutADefaultVPC() throws {
        let cli = try LocalCloudCLIFixture(defaultVPC: false)
        fixture = cli
        try cli.makeRepository(commit: true)
        let (vpc, subnet) = try cli.makeSubnet(7)
        let folder = cli.folder.appendingPathComponent("blueprints/in-subnet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            {
                "PipelineName": "in-subnet",
                "REGION": "us-east-1",
                "Lambda": {"LambdaConfig": {"AMI": "debian12", "INSTANCE_TYPE": "t3.micro", "WORKING_DIRECTORY": "~",
                                            "COMMAND": ": {} {} {} {}; echo ran-in-subnet > \\"$NCAAS_OUTPUT/out.txt\\"",
                                            "EXECUTION_TIMEOUT": 180, "SSM_TIMEOUT": 300}},
                "UXData": {"Affiliates": [{"AffiliateName": "lab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]},
                "ncaas": {"network": {"subnet": "\(subnet)"}}
            }

            """.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
        try cli.git("add", "-A")
        try cli.git("commit", "-q", "-m", "in-subnet")

        let deploy = try cli.ncaas("deploy", "in-subnet", "--no-manager")
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        let groups = try cli.ec2.describeSecurityGroups(filters: [.tag("ncaas:analysis", "in-subnet")])
        XCTAssertEqual(groups.map(\.vpcId), [vpc], "the job security group is in the subnet's VPC")

        let s3 = cli.ec2.client.s3
        try s3.putObject(bucket: "in-subnet", key: "lab/inputs/a.txt", data: Data("a\n".utf8))
        try s3.putObject(bucket: "in-subnet", key: "lab/configs/c.json", data: Data("{}".utf8))
        let submit = cli.folder.appendingPathComponent("submit.json")
        try Data(#"{"dataname": "lab/inputs/a.txt", "configname": "lab/configs/c.json", "timestamp": "subnet-1"}"#.utf8).write(to: submit)
        let run = try cli.ncaas("test-job", "in-subnet", submit.path, timeout: 300)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let layout = JobLayout(bucket: "in-subnet", analysis: "in-subnet", group: "lab", timestamp: "subnet-1")
        XCTAssertEqual(String(decoding: try s3.getObject(bucket: "in-subnet", key: layout.processResultsPrefix + "out.txt"), as: UTF8.self), "ran-in-subnet\n")
        let instances = try cli.ec2.describeInstances(filters: [.tag("ncaas:analysis", "in-subnet"), .tag("ncaas:role", "job")])
        XCTAssertEqual(instances.count, 1)
        XCTAssertEqual(instances.map(\.subnetId), [subnet])
        XCTAssertTrue(instances.allSatisfy { ["shutting-down", "terminated"].contains($0.state) }, "\(instances.map(\.state))")
        XCTAssertEqual(try cli.ncaas("teardown", "in-subnet", "--delete-data", "--yes").exitCode, 0)
    }
}

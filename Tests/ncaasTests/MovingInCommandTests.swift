import AWS
import SigV4
import Foundation
import TestSupport
import XCTest

/// A NeuroCAAS author moving in, through the built binary against the local endpoint (IAM checks on,
/// ncaas signing as a user holding exactly the documented policy): the blueprint's folder is not its
/// PipelineName, its AMI belongs to NeuroCAAS's account, its affiliates name users that do not exist
/// yet or exist under NeuroCAAS's `<user><REGION>` names. validate --cloud and deploy say all of it
/// at once with the commands that fix it; `ncaas affiliates` makes, lists and removes the users.
final class MovingInCommandTests: XCTestCase {
    private var cli: LocalCloudCLIFixture!

    static let blueprint = """
        {
            "PipelineName": "pmd",
            "REGION": "us-east-1",
            "STAGE": "webdev",
            "Lambda": {
                "CodeUri": "../../protocols",
                "Handler": "submit_start.handler_develop",
                "LambdaConfig": {
                    "AMI": "ami-0bb9da4a35a95ffbe",
                    "INSTANCE_TYPE": "p2.xlarge",
                    "REGION": "us-east-1",
                    "IAM_ROLE": "SSMRole",
                    "KEY_NAME": "testkeystack-custom-dev-key-pair",
                    "SECURITY_GROUPS": "sg-0a1b2c3d",
                    "WORKING_DIRECTORY": "~/bin",
                    "COMMAND": "cd /home/ubuntu; neurocaas_contrib/run_main_cli.sh \\"{}\\" \\"{}\\" \\"{}\\" \\"{}\\" \\"pmd/run_pmd.sh\\"; . neurocaas_contrib/ncap_utils/workflow.sh; cleanup",
                    "EXECUTION_TIMEOUT": 180,
                    "SSM_TIMEOUT": 172000,
                    "MAXCOST": "300"
                }
            },
            "UXData": {
                "Affiliates": [
                    {"AffiliateName": "lab", "UserNames": ["ann", "carl"], "UserInput": true, "ContactEmail": ""},
                    {"AffiliateName": "other", "UserNames": ["dee"], "UserInput": true, "ContactEmail": ""}
                ]
            }
        }

        """

    override func setUpWithError() throws {
        cli = try LocalCloudCLIFixture()
        try cli.makeRepository(commit: true)
        let folder = cli.folder.appendingPathComponent("blueprints/pmd-author")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.blueprint.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        if let cli { XCTAssertEqual(try cli.tearDown(), 0) }
    }

    private var iam: IAMClient { cli.ec2.client.iam }

    func testValidateAndDeploySayEverythingAtOnceAndAffiliatesAddFixesIt() throws {
        // NeuroCAAS's account tools made carl as carl + the region.
        _ = try cli.moto.createUser(named: "carlus-east-1", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))

        let validate = try cli.ncaas("blueprint", "validate", "pmd-author", "--cloud")
        XCTAssertEqual(validate.exitCode, 1, validate.stderr)
        XCTAssertTrue(validate.stdout.contains("error: Lambda.LambdaConfig.AMI: ami-0bb9da4a35a95ffbe does not exist in us-east-1 (EC2 DescribeImages knows no such image; an AMI belongs to the account and region that made it): "
                                               + "build the analysis's image with `ncaas image build pmd-author` (it writes the new AMI into the blueprint), or name an alias (ubuntu18, ubuntu16, dlami18, debian12)."), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("error: UXData.Affiliates[0].UserNames[0]: the IAM user 'ann' does not exist in this account: create it with `ncaas affiliates add pmd-author lab ann`, or remove it."), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("note: UXData.Affiliates[0].UserNames[1]: is the IAM user 'carlus-east-1' in this account (NeuroCAAS's <user><REGION> naming)"), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("error: UXData.Affiliates[1].UserNames[0]: the IAM user 'dee' does not exist"), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("note: Lambda.LambdaConfig.SECURITY_GROUPS: ncaas does not use SECURITY_GROUPS"), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("invalid (3 errors, 6 notes)"), validate.stdout)

        // deploy names every missing user of every affiliate at once, with the command; nothing is made.
        let refused = try cli.ncaas("deploy", "pmd-author", "--no-manager")
        XCTAssertEqual(refused.exitCode, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("UXData.Affiliates names 2 IAM users that do not exist (lab: 'ann'; other: 'dee'): create them with "
                                              + "`ncaas affiliates add pmd-author lab ann` and `ncaas affiliates add pmd-author other dee`, or remove them from UXData.Affiliates; nothing was deployed."),
                      refused.stderr)
        XCTAssertNil(try cli.ec2.client.cloudFormation.describeStack("pmd"))

        // affiliates add: the users, a key shown once and kept in a 0600 file; the group comes with the deploy.
        let add = try cli.ncaas("affiliates", "add", "pmd-author", "lab", "ann", "--access-key")
        XCTAssertEqual(add.exitCode, 0, add.stderr)
        XCTAssertTrue(add.stdout.hasPrefix("ann: created the IAM user; listed in the blueprint's UserNames already; joins group pmd-lab at `ncaas deploy pmd-author`; made an access key"), add.stdout)
        let keyFile = cli.folder.appendingPathComponent(".ncaas/affiliates/pmd/ann_accessKeys.csv").path
        XCTAssertTrue(add.stdout.contains("(shown once; also in \(keyFile), mode 0600)"), add.stdout)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let fields = try String(contentsOfFile: keyFile, encoding: .utf8).split(separator: "\n")[1].split(separator: ",").map(String.init)
        XCTAssertEqual(fields.count, 3)
        XCTAssertEqual(fields[0], "ann")
        XCTAssertTrue(add.stdout.contains("access key id      \(fields[1])") && add.stdout.contains("secret access key  \(fields[2])"), "shown once: \(add.stdout)")
        let again = try cli.ncaas("affiliates", "add", "pmd-author", "lab", "ann", "--access-key")
        XCTAssertEqual(again.exitCode, 75, "an earlier key's file is never overwritten: \(again.stderr)")
        XCTAssertTrue(again.stderr.contains("ann_accessKeys.csv exists: an earlier key of ann is in it"), again.stderr)
        XCTAssertEqual(try cli.ncaas("affiliates", "add", "pmd-author", "other", "dee").exitCode, 0)

        // deploy now: carl under his NeuroCAAS name, and a note that jobs need an image.
        let deploy = try cli.ncaas("deploy", "pmd-author", "--no-manager")
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        XCTAssertTrue(deploy.stdout.contains("Note: UXData.Affiliates names the user 'carl', which is the IAM user 'carlus-east-1' here (NeuroCAAS's <user><REGION> naming); the stack uses 'carlus-east-1'."), deploy.stdout)
        XCTAssertTrue(deploy.stdout.contains("Note: jobs cannot start yet: Lambda.LambdaConfig.AMI ami-0bb9da4a35a95ffbe does not exist in us-east-1"), deploy.stdout)
        XCTAssertEqual(Set(try iam.getGroupUsers(groupName: "pmd-lab").map(\.userName)), ["ann", "carlus-east-1"])
        XCTAssertEqual(try cli.ec2.describeInstances().count, 0, "--no-manager holds when users are renamed: no manager in the stack")

        // ann's key reaches her group's folder and nothing else.
        let ann = AWSClient(region: "us-east-1", credentials: SigningCredentials(accessKeyId: fields[1], secretAccessKey: fields[2]),
                            transport: CurlTransport(), endpoint: cli.moto.endpoint)
        XCTAssertNoThrow(try ann.s3.putObject(bucket: "pmd", key: "lab/inputs/a.csv", data: Data("1\n".utf8)))
        XCTAssertThrowsError(try ann.s3.putObject(bucket: "pmd", key: "other/inputs/a.csv", data: Data("1\n".utf8)))

        // Added after the deploy: in the group at once, and in the blueprint.
        let bob = try cli.ncaas("affiliates", "add", "pmd-author", "lab", "bob")
        XCTAssertEqual(bob.exitCode, 0, bob.stderr)
        XCTAssertEqual(bob.stdout, "bob: created the IAM user; added to group pmd-lab; listed in the blueprint's UserNames\n")
        XCTAssertTrue(try String(contentsOfFile: cli.blueprintPath("pmd-author"), encoding: .utf8).contains(#"{"AffiliateName": "lab", "UserNames": ["ann", "carl", "bob"]"#))
        let list = try cli.ncaas("affiliates", "list", "pmd-author")
        XCTAssertEqual(list.stdout, """
            lab  ann  IAM user, in its group, 1 access key
            lab  carl  IAM user carlus-east-1, in its group, 1 access key
            lab  bob  IAM user, in its group, 0 access keys
            other  dee  IAM user, in its group, 0 access keys

            """)

        // remove: out of the group and the blueprint; an IAM user nothing else holds is deleted.
        let remove = try cli.ncaas("affiliates", "remove", "pmd-author", "lab", "bob")
        XCTAssertEqual(remove.exitCode, 0, remove.stderr)
        XCTAssertEqual(remove.stdout, "bob: removed from group pmd-lab; policy pmd-lab-access deleted; deleted the IAM user bob; taken out of the blueprint's UserNames\n")
        XCTAssertThrowsError(try iam.getUser(userName: "bob"))
        XCTAssertTrue(try String(contentsOfFile: cli.blueprintPath("pmd-author"), encoding: .utf8).contains(#"{"AffiliateName": "lab", "UserNames": ["ann", "carl"]"#))

        // Bad input: one sentence, nothing done.
        let unknown = try cli.ncaas("affiliates", "add", "pmd-author", "nolab", "eve")
        XCTAssertEqual(unknown.exitCode, 66)
        XCTAssertTrue(unknown.stderr.contains("'nolab' is not an affiliate of pmd (its affiliates: lab, other)"), unknown.stderr)
        let badName = try cli.ncaas("affiliates", "add", "pmd-author", "lab", "eve smith")
        XCTAssertEqual(badName.exitCode, 65)
        XCTAssertThrowsError(try iam.getUser(userName: "eve"))

        // test-job takes the group from the submit file's keys when they share one (two affiliates here),
        // and its hints name the folder typed, not the PipelineName.
        let submit = cli.folder.appendingPathComponent("submit.json").path
        try #"{"dataname": "other/inputs/x.csv", "configname": "other/configs/c.json", "timestamp": "t1"}"#.write(toFile: submit, atomically: true, encoding: .utf8)
        let inferred = try cli.ncaas("test-job", "pmd-author", submit)
        XCTAssertEqual(inferred.exitCode, 66, inferred.stderr)
        XCTAssertTrue(inferred.stderr.contains(#""dataname" "other/inputs/x.csv" does not exist in the bucket pmd"#) && inferred.stderr.contains("`ncaas data put pmd-author other FILE`"), inferred.stderr)
        try #"{"dataname": "other/inputs/x.csv", "configname": "lab/configs/c.json", "timestamp": "t2"}"#.write(toFile: submit, atomically: true, encoding: .utf8)
        let mixed = try cli.ncaas("test-job", "pmd-author", submit)
        XCTAssertEqual(mixed.exitCode, 65, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("pmd has 2 affiliates; say which group with --group (one of lab, other)"), mixed.stderr)
    }
}

import Foundation
import LocalCloud
import TestSupport
import XCTest

/// An `AWS::EC2::Instance` that CloudFormation launches is as real as any: its UserData runs at boot
/// and gets the instance profile role's credentials from the instance metadata service, and the
/// endpoint's IAM checks hold them to the role's policy. Deleting the stack removes the container.
final class CloudFormationInstanceTests: XCTestCase {
    func testAStackInstanceWritesToItsBucketWithTheRoleFromIMDSAndIsRefusedElsewhere() throws {
        let podman = try LocalCloudFixture.podman()
        let moto = try MotoServer()
        defer { moto.stop() }
        let aws = AWSCLI(moto: moto)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-cfn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let debian = try aws.text(["ssm", "get-parameter", "--name", "/aws/service/debian/release/12/latest/amd64", "--query", "Parameter.Value"])

        let script = """
            #!/bin/sh
            m=$AWS_EC2_METADATA_SERVICE_ENDPOINT
            t=$(curl -s -X PUT "${m}latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
            role=$(curl -s -H "X-aws-ec2-metadata-token: $t" "${m}latest/meta-data/iam/security-credentials/")
            c=$(curl -s -H "X-aws-ec2-metadata-token: $t" "${m}latest/meta-data/iam/security-credentials/$role")
            k=$(echo "$c" | jq -r .AccessKeyId); s=$(echo "$c" | jq -r .SecretAccessKey); tok=$(echo "$c" | jq -r .Token)
            for key in results/ok.txt elsewhere/no.txt; do
              code=$(echo written-by-the-role | curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 --user "$k:$s" -H "x-amz-security-token: $tok" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T - "$AWS_ENDPOINT_URL/stack-bucket-imds/$key")
              echo "PUT $key: $code"
            done

            """
        let template: [String: Any] = [
            "Parameters": ["ImageId": ["Type": "String"]],
            "Resources": [
                "Bucket": ["Type": "AWS::S3::Bucket", "Properties": ["BucketName": "stack-bucket-imds"]],
                "Role": ["Type": "AWS::IAM::Role", "Properties": [
                    "AssumeRolePolicyDocument": ["Version": "2012-10-17", "Statement": [
                        ["Effect": "Allow", "Principal": ["Service": "ec2.amazonaws.com"], "Action": "sts:AssumeRole"]]],
                    "Policies": [["PolicyName": "results", "PolicyDocument": ["Version": "2012-10-17", "Statement": [
                        ["Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::stack-bucket-imds/results/*"]]]]],
                ]],
                "Profile": ["Type": "AWS::IAM::InstanceProfile", "Properties": ["Roles": [["Ref": "Role"]]]],
                "Machine": ["Type": "AWS::EC2::Instance", "Properties": [
                    "ImageId": ["Ref": "ImageId"], "InstanceType": "t3.micro", "IamInstanceProfile": ["Ref": "Profile"],
                    "UserData": ["Fn::Base64": script],
                ]],
            ],
        ]
        let templatePath = folder.appendingPathComponent("stack.json").path
        try JSONSerialization.data(withJSONObject: template).write(to: URL(fileURLWithPath: templatePath))
        try aws.run(["cloudformation", "create-stack", "--stack-name", "imds", "--template-body", "file://\(templatePath)",
                     "--parameters", "ParameterKey=ImageId,ParameterValue=\(debian)", "--capabilities", "CAPABILITY_IAM"])
        let id = try aws.text(["cloudformation", "describe-stack-resources", "--stack-name", "imds", "--logical-resource-id", "Machine",
                               "--query", "StackResources[0].PhysicalResourceId"])
        XCTAssertEqual(try aws.waitFor(id, state: "running"), "running")

        var console = ""
        let deadline = Date().addingTimeInterval(60)
        while !console.contains("PUT elsewhere/no.txt") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            console = try aws.console(id)
        }
        XCTAssertTrue(console.contains("PUT results/ok.txt: 200"), console)
        XCTAssertTrue(console.contains("PUT elsewhere/no.txt: 403"), "the role's policy holds: \(console)")
        XCTAssertEqual(try aws.text(["s3", "cp", "s3://stack-bucket-imds/results/ok.txt", "-"]), "written-by-the-role")

        try aws.run(["cloudformation", "delete-stack", "--stack-name", "imds"])
        XCTAssertEqual(try aws.waitFor(id, state: "terminated"), "terminated")
        XCTAssertNil(try podman.containerState(id), "deleting the stack removes the instance's container")
    }
}

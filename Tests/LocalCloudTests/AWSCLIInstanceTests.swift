import Foundation
import LocalCloud
import TestSupport
import XCTest

/// An instance on the local cloud's endpoint made real whoever asks: here the plain AWS CLI, with
/// no ncaas at all. It imports a key pair, launches with a user-data script, reaches the instance on
/// port 22 of its own `PublicIpAddress` with the host key from `get-console-output`, finds the
/// user-data's mark made as root and IMDSv2 answering from inside, and terminates it.
final class AWSCLIInstanceTests: XCTestCase {
    func testTheAWSCLIAloneLaunchesReachesAndTerminatesARealInstance() throws {
        let podman = try LocalCloudFixture.podman()
        let moto = try MotoServer()
        defer { moto.stop() }
        let aws = AWSCLI(moto: moto)
        let keys = try TestKeys()
        try aws.run(["ec2", "import-key-pair", "--key-name", "lab", "--public-key-material", "fileb://\(keys.privateKey).pub"])
        let userData = keys.folder.appendingPathComponent("user-data.sh")
        try "#!/bin/sh\nid -un > /var/tmp/user-data-ran-as\necho user-data says hello\n".write(to: userData, atomically: true, encoding: .utf8)

        let ubuntu = try aws.text(["ssm", "get-parameter", "--name", "/aws/service/canonical/ubuntu/server/18.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
                                   "--query", "Parameter.Value"])
        XCTAssertTrue(ubuntu.hasPrefix("ami-"), "Canonical's public parameter names the base image: \(ubuntu)")
        let launched = try aws.json(["ec2", "run-instances", "--image-id", ubuntu, "--instance-type", "t3.micro",
                                     "--key-name", "lab", "--user-data", "file://\(userData.path)"]) as? [String: Any]
        let instance = try XCTUnwrap((launched?["Instances"] as? [[String: Any]])?.first)
        let id = try XCTUnwrap(instance["InstanceId"] as? String)
        XCTAssertEqual((instance["State"] as? [String: Any])?["Name"] as? String, "pending", "RunInstances answers at once, as EC2 does")
        let address = try XCTUnwrap(instance["PublicIpAddress"] as? String)
        XCTAssertEqual(instance["PrivateIpAddress"] as? String, address)
        XCTAssertTrue(address.hasPrefix("127.") && address != "127.0.0.1", "an address of its own on loopback: \(address)")

        XCTAssertEqual(try aws.waitFor(id, state: "running"), "running")
        XCTAssertEqual(try podman.containerState(id), "running", "the container is named after the instance")

        // The host keys from the console, as cloud-init prints them on EC2; then SSH on port 22.
        var console = ""
        let deadline = Date().addingTimeInterval(30)
        while !console.contains("-----END SSH HOST KEY KEYS-----") && Date() < deadline {
            console = try aws.console(id)
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertGreaterThanOrEqual(try keys.pin(fromConsole: console, host: address), 2)
        let inside = try keys.ssh("ubuntu", address, """
            for i in $(seq 50); do [ -s /var/tmp/user-data-ran-as ] && break; sleep 0.1; done
            cat /var/tmp/user-data-ran-as
            . /etc/environment
            token=$(curl -s -X PUT "${AWS_EC2_METADATA_SERVICE_ENDPOINT}latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
            curl -s -H "X-aws-ec2-metadata-token: $token" "${AWS_EC2_METADATA_SERVICE_ENDPOINT}latest/meta-data/instance-id"; echo
            curl -s -o /dev/null -w '%{http_code}\\n' -H 'X-aws-ec2-metadata-token: forged' "${AWS_EC2_METADATA_SERVICE_ENDPOINT}latest/meta-data/instance-id"
            grep -c 'user-data says hello' /var/log/cloud-init-output.log
            """)
        XCTAssertTrue(inside.succeeded, inside.stderr)
        XCTAssertEqual(inside.stdout.split(separator: "\n").map(String.init), ["root", id, "401", "1"],
                       "user-data ran once as root; IMDSv2 answers with a token and refuses a forged one; its output is logged")
        XCTAssertTrue(try aws.console(id).contains("user-data says hello"), "user-data's output is on the console too")

        try aws.run(["ec2", "terminate-instances", "--instance-ids", id])
        XCTAssertEqual(try aws.waitFor(id, state: "terminated"), "terminated")
        XCTAssertNil(try podman.containerState(id), "terminating removes the container")
    }
}

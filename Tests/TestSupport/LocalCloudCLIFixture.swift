import AWS
import Foundation
import LocalCloud
import Permissions
import XCTest

/// A user's world for the CLI tests on the local cloud: an endpoint with signature and IAM checks on,
/// real podman instances behind it, a project folder that is a git repository, and the built `ncaas`
/// binary run in that folder with its own HOME (so its own ~/.ncaas), signing as a user who holds
/// exactly the policy ncaas documents (`ncaas iam-policy`), so that every CLI test checks it.
public final class LocalCloudCLIFixture {
    public let folder: URL
    public let moto: MotoServer
    public let ec2: EC2Client
    public let podman: Podman
    public var createdImages: [String] = []
    /// The user ncaas runs as: exactly the documented policy.
    public let user: MotoCredentials

    /// `defaultVPC` false: an account without a default VPC, as many institutional accounts are.
    public init(defaultVPC: Bool = true) throws {
        podman = try LocalCloudFixture.podman()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-dev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        moto = try MotoServer(defaultVPC: defaultVPC)
        ec2 = try LocalCloudFixture.ec2(moto)
        user = try moto.createUser(named: "researcher", policy: NCAASPolicy.document())
    }

    /// Removes every container and image this fixture's endpoint left, stops moto, deletes the
    /// folder; returns how many containers were left over (a test asserts zero).
    public func tearDown() throws -> Int {
        defer {
            moto.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let images = createdImages + ((try? ec2.describeImages(owners: ["self"]).map(\.imageId)) ?? [])
        let leftOver = try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman)
        _ = try LocalCloudFixture.removeEverything(endpoint: moto.endpoint, createdImages: images, podman: podman)
        return leftOver
    }

    public var path: String { folder.path }

    /// The built `ncaas`, beside the test bundle.
    public static var binary: String {
        let bundle = Bundle.main.bundleURL
        let buildFolder = bundle.path.hasSuffix(".xctest") ? bundle.deletingLastPathComponent() : bundle
        return buildFolder.appendingPathComponent("ncaas").path
    }

    /// The environment a user pointing ncaas at this moto has.
    public var environment: [String: String] {
        var variables = moto.awsEnvironment(user)
        variables.merge(["HOME": folder.path, "NO_COLOR": "1", "AWS_CONFIG_FILE": "/dev/null",
                         "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
                         "NCAAS_LOCAL_DIR": LocalCloudFixture.paths.root]) { _, new in new }
        return variables
    }

    /// Runs `ncaas ARGS` in the project folder.
    @discardableResult
    public func ncaas(_ arguments: String..., input: Data? = nil, timeout: TimeInterval = 180) throws -> ProcessResult {
        try ncaas(arguments: arguments, input: input, timeout: timeout)
    }

    /// Runs `ncaas ARGS` in the project folder, the arguments as an array.
    @discardableResult
    public func ncaas(arguments: [String], input: Data? = nil, timeout: TimeInterval = 180) throws -> ProcessResult {
        try ProcessRunner.run(Self.binary, arguments, environment: environment, input: input, currentDirectory: path, timeout: timeout)
    }

    /// Runs the system git in the project folder; fails the test when it fails.
    @discardableResult
    public func git(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ProcessRunner.run("git", ["-C", path] + arguments, environment: ["HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1"])
        XCTAssertTrue(result.succeeded, "git \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// `git init` with an author, and (unless `commit` is false) the folder committed as it is.
    public func makeRepository(commit: Bool) throws {
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", "Ada Researcher")
        try git("config", "user.email", "ada@example.org")
        if commit {
            try "# project\n".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            try git("add", "-A")
            try git("commit", "-q", "-m", "start")
        }
    }

    /// The blueprint file of `name`.
    public func blueprintPath(_ name: String) -> String { folder.appendingPathComponent("blueprints/\(name)/stack_config_template.json").path }

    /// The instances of `analysis` that are not terminated, as moto reports them.
    public func liveInstances(_ analysis: String) throws -> [Instance] {
        try ec2.describeInstances(filters: [.tag("ncaas:analysis", analysis),
                                            EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"])])
    }

    /// A new VPC (10.N.0.0/16) with one subnet in it, made with the plain AWS CLI as the account's
    /// administrator would: what `--subnet` and `ncaas.network.subnet` name.
    public func makeSubnet(_ octet: Int = 9) throws -> (vpc: String, subnet: String) {
        func aws(_ arguments: [String]) throws -> String {
            let result = try ProcessRunner.run("aws", arguments + ["--output", "text"], environment: moto.awsEnvironment(moto.adminCredentials), timeout: 120)
            guard result.succeeded else { throw TestSupportError("aws \(arguments.joined(separator: " ")): \(result.stderr)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let vpc = try aws(["ec2", "create-vpc", "--cidr-block", "10.\(octet).0.0/16", "--query", "Vpc.VpcId"])
        let subnet = try aws(["ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.\(octet).1.0/24", "--query", "Subnet.SubnetId"])
        return (vpc, subnet)
    }

    /// The containers backing instances on this fixture's endpoint.
    public func containerCount() throws -> Int { try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman) }
}

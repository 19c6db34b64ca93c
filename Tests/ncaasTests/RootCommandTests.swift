import TestSupport
import XCTest

final class RootCommandTests: XCTestCase {
    func testVersionAndHelpOnEveryCommand() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let version = try cli.run("--version")
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, version.stdout)
        for command in [[], ["configure"], ["blueprint"], ["blueprint", "validate"], ["blueprint", "get"], ["blueprint", "set"]] {
            let help = try cli.run(command + ["--help"])
            XCTAssertEqual(help.status, 0, "\(command)")
            XCTAssertTrue(help.stdout.contains("USAGE: ncaas"), "\(command): \(help.stdout)")
        }
    }

    func testCompletionScriptsAreGenerated() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        for shell in ["bash", "zsh", "fish"] {
            let result = try cli.run("--generate-completion-script", shell)
            XCTAssertEqual(result.status, 0, shell)
            XCTAssertTrue(result.stdout.contains("configure"), shell)
        }
    }

    func testUnknownCommandIsAUsageError() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let result = try cli.run("deploy-everything")
        XCTAssertEqual(result.status, 64)
    }

    func testAMistypedSubcommandGetsDidYouMean() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let cases: [([String], String)] = [
            (["deplyo", "spike-stats"], "ncaas: 'deplyo' is not a command of `ncaas`; did you mean `ncaas deploy`? (`ncaas --help` lists them)\n"),
            (["dev", "lanch", "x"], "ncaas: 'lanch' is not a command of `ncaas dev`; did you mean `ncaas dev launch`? (`ncaas dev --help` lists them)\n"),
            (["jobs", "stauts", "x"], "ncaas: 'stauts' is not a command of `ncaas jobs`; did you mean `ncaas jobs status`? (`ncaas jobs --help` lists them)\n"),
        ]
        for (arguments, sentence) in cases {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.stderr, sentence)
        }
        let far = try cli.run("xyzzy")
        XCTAssertTrue(far.stderr.hasPrefix("ncaas: 'xyzzy' is not a command of `ncaas`; the commands are configure, blueprint, doctor,"), far.stderr)
    }

    /// The two ways a newcomer meets a local cloud that is not up: the "local" profile missing, a
    /// loopback endpoint refusing connections. Both say to run `ncaas local up`.
    func testTheLocalCloudNotUpSaysToRunLocalUp() throws {
        var cli = CLI(in: try CLI.scratchFolder(for: self))
        cli.environment["HOME"] = cli.directory
        cli.environment["NCAAS_PROFILE"] = "local"
        XCTAssertEqual(try cli.run("configure", "newcomer").status, 0)
        for arguments in [["doctor"], ["deploy", "newcomer", "--no-manager"]] {
            let result = try cli.run(arguments)
            XCTAssertEqual(result.status, 78, "\(arguments): \(result.stderr)")
            XCTAssertTrue((result.stdout + result.stderr).contains("The AWS profile \"local\" (from NCAAS_PROFILE) does not exist"), result.stdout + result.stderr)
            XCTAssertTrue((result.stdout + result.stderr).contains("The \"local\" profile is the local cloud's: run `ncaas local up` to start it and write the profile."), result.stdout + result.stderr)
        }
        cli.environment["NCAAS_PROFILE"] = nil
        cli.environment.merge(["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x", "AWS_REGION": "us-east-1",
                               "AWS_ENDPOINT_URL": "http://127.0.0.1:\(try FreePort.next())"]) { _, new in new }
        let refused = try cli.run("deploy", "newcomer", "--no-manager")
        XCTAssertEqual(refused.status, 69, refused.stderr)
        XCTAssertTrue(refused.stderr.hasSuffix("Nothing listens there on this machine: if it is the local cloud, start it with `ncaas local up`.\n"), refused.stderr)
    }
}

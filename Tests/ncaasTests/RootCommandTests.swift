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
}

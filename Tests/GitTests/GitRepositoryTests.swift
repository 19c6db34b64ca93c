import Foundation
import Git
import XCTest

final class GitRepositoryTests: XCTestCase {
    func testLibgit2CreatesAndDiscoversARepository() throws {
        XCTAssertTrue(GitLibrary.version.hasPrefix("1."), GitLibrary.version)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-git-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let created = try GitRepository.create(at: folder)
        XCTAssertTrue(try created.hasNoCommits)
        try FileManager.default.createDirectory(atPath: "\(folder)/blueprints/x", withIntermediateDirectories: true)
        let found = try GitRepository.discover(containing: "\(folder)/blueprints/x")
        XCTAssertEqual(found.workTree.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path },
                       URL(fileURLWithPath: folder).resolvingSymlinksInPath().path)
        // The system git agrees that this is a repository.
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-C", folder, "rev-parse", "--is-inside-work-tree"]
        let out = Pipe()
        git.standardOutput = out
        try git.run()
        git.waitUntilExit()
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "true\n")
    }

    func testErrorsCarryLibgit2sMessage() {
        XCTAssertThrowsError(try GitRepository.discover(containing: "/")) { error in
            guard let git = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertTrue(git.description.hasPrefix("Could not find a git repository containing /: "), git.description)
            XCTAssertTrue(git.message.contains("could not find repository"), git.message)
        }
    }
}

import Foundation
import Git
import XCTest

final class GitCommitTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-gitc-\(UUID().uuidString)").path
        _ = try GitRepository.create(at: folder)
        try git("config", "user.name", "Ada Researcher")
        try git("config", "user.email", "ada@example.org")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    private func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", folder] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    private func write(_ text: String, _ path: String) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func testCommitsOneFileInARepositoryWithNoCommitsAndLeavesOtherStagedFilesStaged() throws {
        try write("other\n", "notes.txt")
        try git("add", "notes.txt")
        let repository = try GitRepository.discover(containing: folder)
        let text = "{\n    \"AMI\": \"ami-0123abcd\"\n}\n"
        try write(text, "blueprints/x/stack_config_template.json")
        let id = try repository.commitFile("blueprints/x/stack_config_template.json", contents: Array(text.utf8), message: "Record blueprint x")
        XCTAssertEqual(try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines), id.hex)
        XCTAssertEqual(try git("ls-tree", "-r", "--name-only", "HEAD"), "blueprints/x/stack_config_template.json\n", "only the blueprint is committed")
        XCTAssertEqual(try git("status", "--porcelain"), "A  notes.txt\n", "the other staged file stays staged; the blueprint is clean")
        XCTAssertEqual(try git("log", "-1", "--format=%an <%ae>|%s"), "Ada Researcher <ada@example.org>|Record blueprint x\n")
        XCTAssertEqual(try repository.headContents(of: "blueprints/x/stack_config_template.json"), Array(text.utf8))
    }

    func testSecondCommitHasTheFirstAsParentAndTheDiffIsTheChangedLine() throws {
        let repository = try GitRepository.discover(containing: folder)
        let before = "{\n    \"AMI\": \"ami-0123abcd\",\n    \"X\": 1\n}\n"
        let after = before.replacingOccurrences(of: "ami-0123abcd", with: "ami-89abcdef")
        let first = try repository.commitFile("bp.json", contents: Array(before.utf8), message: "before")
        try write(after, "bp.json")
        let second = try repository.commitFile("bp.json", contents: Array(after.utf8), message: "after")
        XCTAssertEqual(try git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines), first.hex)
        XCTAssertEqual(try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines), second.hex)
        let diff = try git("diff", "--unified=0", "HEAD~1", "HEAD").split(separator: "\n").filter { $0.hasPrefix("+") || $0.hasPrefix("-") }
        XCTAssertEqual(diff, ["--- a/bp.json", "+++ b/bp.json", #"-    "AMI": "ami-0123abcd","#, #"+    "AMI": "ami-89abcdef","#])
        XCTAssertEqual(try git("status", "--porcelain"), "")
    }

    func testCommitKeepsOtherFilesOfHEAD() throws {
        try write("a\n", "a.txt")
        try git("add", "a.txt")
        try git("commit", "-q", "-m", "first")
        let repository = try GitRepository.discover(containing: folder)
        try repository.commitFile("b.txt", contents: Array("b\n".utf8), message: "add b")
        XCTAssertEqual(try git("ls-tree", "-r", "--name-only", "HEAD"), "a.txt\nb.txt\n")
        XCTAssertNil(try repository.headContents(of: "missing.txt"))
    }
}

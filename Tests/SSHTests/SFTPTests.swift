import Foundation
import SSH
import TestSupport
import XCTest

final class SFTPTests: XCTestCase {
    override class func tearDown() {
        SharedFixtures.release(self)
        super.tearDown()
    }

    private func fixture() throws -> SSHFixture { try SharedFixtures.fixture(for: Self.self) }

    func testFiftyMegabytesGoUpAndComeBackByteIdentical() throws {
        let fixture = try fixture()
        let folder = try fixture.scratch("big")
        let original = folder.appendingPathComponent("original.bin").path
        try writeRandomFile(original, bytes: 50 * 1024 * 1024 + 12_345)  // not a multiple of any chunk size
        let remote = try fixture.scratch("remote").appendingPathComponent("uploaded.bin").path
        let back = folder.appendingPathComponent("back.bin").path

        let session = try fixture.connect()
        let sftp = try session.sftp()
        var uploadSteps: [SFTPProgress] = []
        let sent = try sftp.upload(original, to: remote, progress: { uploadSteps.append($0) })
        let received = try sftp.download(remote, to: back)

        XCTAssertEqual(sent, 50 * 1024 * 1024 + 12_345)
        XCTAssertEqual(received, sent)
        XCTAssertEqual(try sha256(original), try sha256(back))
        // The server's own view of the uploaded file agrees too.
        XCTAssertEqual(try session.exec("sha256sum '\(remote)' | cut -d' ' -f1").stdoutText.trimmingCharacters(in: .newlines), try sha256(original))
        XCTAssertGreaterThan(uploadSteps.count, 10, "progress should be reported along the way")
        XCTAssertEqual(uploadSteps.map(\.bytesTransferred), uploadSteps.map(\.bytesTransferred).sorted())
        XCTAssertEqual(uploadSteps.last, SFTPProgress(path: original, bytesTransferred: sent, totalBytes: sent))
    }

    func testPermissionBitsAreKeptBothWays() throws {
        let fixture = try fixture()
        let folder = try fixture.scratch("modes")
        let local = folder.appendingPathComponent("tool.sh").path
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: local))
        chmod(local, 0o751)
        let remote = folder.appendingPathComponent("remote-tool.sh").path
        let session = try fixture.connect()
        let sftp = try session.sftp()
        try sftp.upload(local, to: remote)
        XCTAssertEqual(try session.exec("stat -c %a '\(remote)'").stdoutText, "751\n")
        XCTAssertEqual(try session.exec("'\(remote)'").stdoutText, "hi\n")

        XCTAssertEqual(try session.exec("chmod 640 '\(remote)'").status.code, 0)
        let back = folder.appendingPathComponent("back.sh").path
        try sftp.download(remote, to: back)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: back)[.posixPermissions] as? Int, 0o640)
    }

    func testAnEmptyFileIsCopied() throws {
        let fixture = try fixture()
        let folder = try fixture.scratch("empty")
        let local = folder.appendingPathComponent("empty").path
        XCTAssertTrue(FileManager.default.createFile(atPath: local, contents: Data()))
        let sftp = try fixture.connect().sftp()
        XCTAssertEqual(try sftp.upload(local, to: folder.appendingPathComponent("remote-empty").path), 0)
        XCTAssertEqual(try sftp.attributes(of: folder.appendingPathComponent("remote-empty").path)?.size, 0)
    }

    func testFoldersGoUpAndComeBackWithTheirTree() throws {
        let fixture = try fixture()
        let source = try fixture.scratch("tree")
        try makeTree(at: source)
        let remote = try fixture.scratch("remote-parent").appendingPathComponent("a/b/copy").path  // missing parents are made
        let back = try fixture.scratch("back").appendingPathComponent("copy").path

        let sftp = try fixture.connect().sftp()
        let up = try sftp.uploadFolder(source.path, to: remote)
        XCTAssertEqual(up, SFTPTransferSummary(files: 4, folders: 5, bytes: 300_000 + 5 + 6 + 0))
        let down = try sftp.downloadFolder(remote, to: back)
        XCTAssertEqual(down, up)
        XCTAssertEqual(try listing(remote), try listing(source.path))
        XCTAssertEqual(try listing(back), try listing(source.path))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: back + "/bin/run")[.posixPermissions] as? Int, 0o755)
    }

    func testAFolderWithASocketIsRefusedNamingIt() throws {
        let fixture = try fixture()
        let source = try fixture.scratch("fifo")
        try Data("x".utf8).write(to: source.appendingPathComponent("a.txt"))
        XCTAssertEqual(mkfifo(source.appendingPathComponent("pipe").path, 0o644), 0)
        let sftp = try fixture.connect().sftp()
        XCTAssertThrowsError(try sftp.uploadFolder(source.path, to: try fixture.scratch("fifo-remote").path)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .localFile)
            XCTAssertTrue("\(error)".contains("pipe is neither a file nor a folder"), "\(error)")
        }
    }

    func testMissingLocalFileIsAClearError() throws {
        let fixture = try fixture()
        let sftp = try fixture.connect().sftp()
        let missing = fixture.folder.appendingPathComponent("nope.bin").path
        XCTAssertThrowsError(try sftp.upload(missing, to: "/tmp/never")) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .localFile)
            XCTAssertEqual("\(error)", "Could not upload \(missing) to 127.0.0.1:\(fixture.server.port):/tmp/never: \(missing) does not exist.")
        }
        XCTAssertThrowsError(try sftp.uploadFolder(missing, to: "/tmp/never")) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .localFile)
            XCTAssertTrue("\(error)".hasSuffix("\(missing) does not exist."), "\(error)")
        }
    }

    func testMissingRemotePathIsAClearErrorAndLeavesNoPartialFile() throws {
        let fixture = try fixture()
        let sftp = try fixture.connect().sftp()
        let folder = try fixture.scratch("missing-remote")
        let target = folder.appendingPathComponent("out.bin").path
        XCTAssertThrowsError(try sftp.download("/nonexistent/file.bin", to: target)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .sftp)
            XCTAssertTrue("\(error)".contains("/nonexistent/file.bin does not exist on the remote side"), "\(error)")
        }
        XCTAssertThrowsError(try sftp.downloadFolder("/nonexistent/folder", to: target)) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .sftp)
        }
        let local = folder.appendingPathComponent("in.bin").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: local))
        XCTAssertThrowsError(try sftp.upload(local, to: "/nonexistent/folder/in.bin")) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .sftp)
            XCTAssertEqual((error as? SSHError)?.code, 2)
            XCTAssertTrue("\(error)".contains("no such file or folder on the remote side"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["in.bin"])
    }

    // MARK: - Helpers

    private func writeRandomFile(_ path: String, bytes: Int) throws {
        let made = try ProcessRunner.run("sh", ["-c", "head -c \(bytes) /dev/urandom > '\(path)'"], timeout: 30)
        guard made.succeeded else { throw TestSupportError("cannot write \(path): \(made.stderr)") }
    }

    private func sha256(_ path: String) throws -> String {
        let result = try ProcessRunner.run("sha256sum", [path], timeout: 30)
        guard result.succeeded, let digest = result.stdout.split(separator: " ").first else { throw TestSupportError("sha256sum failed: \(result.stderr)") }
        return String(digest)
    }

    /// data.bin (300 kB random), notes/readme.txt, notes/deep/empty-folder/, notes/deep/zero (empty), bin/run (0755).
    private func makeTree(at root: URL) throws {
        let manager = FileManager.default
        try writeRandomFile(root.appendingPathComponent("data.bin").path, bytes: 300_000)
        try manager.createDirectory(at: root.appendingPathComponent("notes/deep/empty-folder"), withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: root.appendingPathComponent("notes/readme.txt"))
        _ = manager.createFile(atPath: root.appendingPathComponent("notes/deep/zero").path, contents: Data())
        try manager.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try Data("#!/bin".utf8).write(to: root.appendingPathComponent("bin/run"))
        chmod(root.appendingPathComponent("bin/run").path, 0o755)
    }

    /// Every path under `root` with its type, mode and checksum, from `find` and `sha256sum` (independent of the SSH module).
    private func listing(_ root: String) throws -> String {
        let result = try ProcessRunner.run("sh", ["-c", "cd '\(root)' && find . -printf '%y %m %p\\n' | sort && find . -type f -exec sha256sum {} + | sort"])
        guard result.succeeded else { throw TestSupportError("listing \(root) failed: \(result.stderr)") }
        return result.stdout
    }
}

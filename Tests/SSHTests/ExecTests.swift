import Foundation
import SSH
import TestSupport
import XCTest

final class ExecTests: XCTestCase {
    override class func tearDown() {
        SharedFixtures.release(self)
        super.tearDown()
    }

    private func session() throws -> SSHSession {
        try SharedFixtures.fixture(for: Self.self).connect()
    }

    func testUnameReturnsItsOutputAndStatusZero() throws {
        let result = try session().exec("uname -a")
        XCTAssertEqual(result.status, SSHExitStatus(code: 0))
        XCTAssertTrue(result.stdoutText.hasPrefix("Linux "), result.stdoutText)
        // The server runs on this machine, so it must print what the local uname prints.
        XCTAssertEqual(result.stdoutText, try ProcessRunner.run("uname", ["-a"]).stdout)
        XCTAssertTrue(result.stderr.isEmpty)
    }

    func testStderrAndExitCodeComeBackSeparately() throws {
        let result = try session().exec("echo to-out; echo to-err >&2; exit 3")
        XCTAssertEqual(result.status.code, 3)
        XCTAssertFalse(result.status.succeeded)
        XCTAssertEqual(result.stdoutText, "to-out\n")
        XCTAssertEqual(result.stderrText, "to-err\n")
    }

    func testChunksArriveWhileTheCommandRuns() throws {
        let session = try session()
        let start = ContinuousClock.now
        var arrivals: [(Duration, String)] = []
        let status = try session.exec("for i in 1 2 3; do echo line$i; sleep 0.4; done", stdout: { chunk in
            arrivals.append((ContinuousClock.now - start, String(decoding: chunk, as: UTF8.self)))
        }, stderr: { _ in })
        let total = ContinuousClock.now - start
        XCTAssertEqual(status.code, 0)
        XCTAssertEqual(arrivals.map(\.1).joined(), "line1\nline2\nline3\n")
        XCTAssertGreaterThanOrEqual(arrivals.count, 3, "each line should arrive as its own chunk")
        let first = try XCTUnwrap(arrivals.first)
        XCTAssertEqual(first.1, "line1\n")
        XCTAssertLessThan(first.0, total - .milliseconds(700), "the first line must arrive long before the command ends")
    }

    func testBothStreamsInBulkDoNotDeadlock() throws {
        // 4 MB on each stream, interleaved: more than any window, so both must be drained together.
        let result = try session().exec("for i in $(seq 64); do head -c 65536 /dev/zero; head -c 65536 /dev/zero >&2; done", timeout: .seconds(20))
        XCTAssertEqual(result.status.code, 0)
        XCTAssertEqual(result.stdout.count, 4 * 1024 * 1024)
        XCTAssertEqual(result.stderr.count, 4 * 1024 * 1024)
    }

    func testInputDataReachesTheCommand() throws {
        let input = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let result = try session().exec("wc -c; echo done >&2", input: .data(input), timeout: .seconds(20))
        XCTAssertEqual(result.status.code, 0)
        XCTAssertEqual(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), "3000000")
        XCTAssertEqual(result.stderrText, "done\n")
    }

    func testInputFromAFileDescriptorIsStreamedUntilItsEnd() throws {
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        DispatchQueue.global().async {
            for index in 0..<3 {
                writer.write(Data("piece\(index)\n".utf8))
                usleep(100_000)
            }
            try? writer.close()
        }
        let result = try session().exec("cat", input: .fileDescriptor(pipe.fileHandleForReading.fileDescriptor), timeout: .seconds(10))
        XCTAssertEqual(result.stdoutText, "piece0\npiece1\npiece2\n")
        XCTAssertEqual(result.status.code, 0)
    }

    func testACommandKilledByASignalReportsIt() throws {
        let result = try session().exec("kill -TERM $$")
        XCTAssertEqual(result.status.signal, "TERM")
        XCTAssertFalse(result.status.succeeded)
    }

    func testTimeoutClosesTheChannelAndThrowsAndTheSessionStaysUsable() throws {
        let session = try session()
        let start = ContinuousClock.now
        XCTAssertThrowsError(try session.exec("echo started; sleep 30", timeout: .seconds(1))) { error in
            let error = error as? SSHError
            XCTAssertEqual(error?.kind, .timeout)
            XCTAssertEqual(error?.description.contains("did not finish within 1 s"), true, "\(String(describing: error))")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        XCTAssertEqual(try session.exec("echo again").stdoutText, "again\n")
    }

    func testAConnectionThatDiesMidCommandIsAConnectionError() throws {
        let session = try session()
        let start = ContinuousClock.now
        // The shell's parent is the server's process for this connection: killing it drops the connection.
        XCTAssertThrowsError(try session.exec("echo before; kill -9 $PPID; sleep 5", timeout: .seconds(10))) { error in
            XCTAssertEqual((error as? SSHError)?.kind, .connection, "\(error)")
            XCTAssertTrue("\(error)".hasPrefix("Could not run `echo before; kill -9 $PPID; sleep 5` on 127.0.0.1:"), "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(4))
    }

    func testManyCommandsOnOneSession() throws {
        let session = try session()
        for index in 0..<8 {
            XCTAssertEqual(try session.exec("echo \(index)").stdoutText, "\(index)\n")
        }
    }
}

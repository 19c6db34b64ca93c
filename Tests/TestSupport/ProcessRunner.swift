import Foundation
import Support

/// What a finished command produced.
public struct ProcessResult: Sendable {
    public let exitCode: Int32
    public let stdout: String
    public let stderr: String
    /// True if the command was killed for running past its timeout.
    public let timedOut: Bool

    public var succeeded: Bool { exitCode == 0 && !timedOut }
}

/// Runs a command to completion, capturing its output, with a timeout.
public enum ProcessRunner {
    /// Runs `command` (looked up on `PATH`) with `arguments`.
    /// - Parameters:
    ///   - environment: variables added to (or replacing) this process's environment.
    ///   - input: written to the command's stdin, which is then closed.
    ///   - timeout: after this many seconds the command is terminated, then killed.
    public static func run(
        _ command: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        input: Data? = nil,
        currentDirectory: String? = nil,
        timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout")
        let stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        var stdinPath: String?
        if let input {
            stdinPath = scratch.appendingPathComponent("stdin").path
            try input.write(to: URL(fileURLWithPath: stdinPath!))
        }
        let pid: pid_t
        do {
            pid = try ChildProcess.start(command, arguments, stdinPath: stdinPath, stdoutPath: stdoutURL.path, stderrPath: stderrURL.path,
                                         environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                         inFolder: currentDirectory)
        } catch {
            throw TestSupportError("cannot start \(command): \(error)")
        }
        var timedOut = false
        var exitCode = ChildProcess.wait(pid, timeout: timeout)
        if exitCode == nil {
            timedOut = true
            kill(pid, SIGTERM)
            exitCode = ChildProcess.wait(pid, timeout: 2)
            if exitCode == nil {
                kill(pid, SIGKILL)
                exitCode = ChildProcess.wait(pid)
            }
        }
        return ProcessResult(
            exitCode: exitCode ?? -1,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "",
            timedOut: timedOut
        )
    }
}

/// Writing to the pipe of a child that has exited must give EPIPE, not kill the test process.
enum IgnoreSigpipe {
    private static let done: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
    static func once() { done }
}

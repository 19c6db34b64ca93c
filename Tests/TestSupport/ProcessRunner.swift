import Foundation

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
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        let stdinPipe = Pipe()
        process.standardInput = stdinPipe

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        IgnoreSigpipe.once()
        do {
            try process.run()
        } catch {
            throw TestSupportError("cannot start \(command): \(error)")
        }
        if let input { try? stdinPipe.fileHandleForWriting.write(contentsOf: input) }
        try? stdinPipe.fileHandleForWriting.close()

        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        return ProcessResult(
            exitCode: process.terminationStatus,
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

import Foundation

/// A long-running child process spoken to in lines of JSON: one request line on its stdin,
/// one reply line on its stdout. Its stderr goes to a log file (kept for error messages).
/// Closing its stdin tells it to exit, so the helper scripts also exit when the test process
/// dies; `stop()` closes stdin, waits briefly, then terminates and finally kills it.
public final class LineChannelProcess: @unchecked Sendable {
    /// The child's stderr, for diagnostics.
    public let logPath: String
    private let process = Process()
    private let stdinHandle: FileHandle
    private let stdoutDescriptor: Int32
    private let stdoutPipe: Pipe
    private var pending = Data()
    private let lock = NSLock()
    private var stopped = false
    private let name: String

    /// Starts `command arguments...` (looked up on `PATH`).
    public init(name: String, command: String, arguments: [String], environment: [String: String] = [:]) throws {
        self.name = name
        logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("ncaas-\(name)-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? logHandle.close() }

        let stdinPipe = Pipe()
        stdoutPipe = Pipe()
        stdinHandle = stdinPipe.fileHandleForWriting
        stdoutDescriptor = stdoutPipe.fileHandleForReading.fileDescriptor
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = logHandle
        IgnoreSigpipe.once()
        do {
            try process.run()
        } catch {
            throw TestSupportError("cannot start \(name) (\(command)): \(error)")
        }
    }

    deinit { stop() }

    /// The child's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// True while the child has not exited.
    public var isRunning: Bool { process.isRunning }

    /// Reads the next line from the child's stdout, waiting at most `timeout` seconds.
    public func readLine(timeout: TimeInterval) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        return try readLineLocked(deadline: Date().addingTimeInterval(timeout))
    }

    /// Sends one JSON request line and decodes the one reply line.
    public func request<Request: Encodable, Reply: Decodable>(
        _ request: Request, as reply: Reply.Type, timeout: TimeInterval = 30
    ) throws -> Reply {
        lock.lock()
        defer { lock.unlock() }
        var line = try JSONEncoder().encode(request)
        line.append(UInt8(ascii: "\n"))
        do {
            try stdinHandle.write(contentsOf: line)
        } catch {
            throw TestSupportError("cannot write to \(name): \(error)", log: logTail())
        }
        let answer = try readLineLocked(deadline: Date().addingTimeInterval(timeout))
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(answer.utf8))
        } catch {
            throw TestSupportError("\(name) answered something unexpected: \(answer)", log: logTail())
        }
    }

    /// Closes the child's stdin (it exits by itself, taking up to `grace` seconds to clean up), then
    /// terminates or kills it if it lingers.
    public func stop(grace: TimeInterval = 3) {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? stdinHandle.close()
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            let killDeadline = Date().addingTimeInterval(2)
            while process.isRunning, Date() < killDeadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? stdoutPipe.fileHandleForReading.close()
    }

    /// The last few kilobytes of the child's stderr.
    public func logTail(bytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }

    private func readLineLocked(deadline: Date) throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw TestSupportError("\(name) did not answer within the time limit", log: logTail())
            }
            var poller = pollfd(fd: stdoutDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR {
                throw TestSupportError("cannot wait for \(name): \(String(cString: strerror(errno)))", log: logTail())
            }
            guard ready > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(stdoutDescriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw TestSupportError("cannot read from \(name): \(String(cString: strerror(errno)))", log: logTail())
            }
            if count == 0 {
                throw TestSupportError("\(name) exited unexpectedly", log: logTail())
            }
            pending.append(contentsOf: buffer[0..<count])
        }
    }
}

import Foundation

/// What a finished external command produced.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { exitCode == 0 }

    /// The last non-empty line of stderr (else stdout): what a failing tool said last.
    public var lastMessage: String {
        for text in [stderr, stdout] {
            if let line = text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return line.trimmingCharacters(in: .whitespaces)
            }
        }
        return "exit status \(exitCode)"
    }
}

/// Runs external programs (podman, debootstrap, tar). Behind a protocol so the workflows can be
/// driven without the tools where a test must cause a fault that cannot be caused otherwise.
public protocol CommandRunning: Sendable {
    /// Runs `executable` (looked up on PATH) to completion. Throws only when it cannot be started.
    /// - Parameter logPath: when given, stdout and stderr are appended to this file instead of captured.
    func run(_ executable: String, _ arguments: [String], environment: [String: String], logPath: String?) throws -> CommandResult
    /// Whether `executable` is found on PATH.
    func isInstalled(_ executable: String) -> Bool
}

extension CommandRunning {
    public func run(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        try run(executable, arguments, environment: [:], logPath: nil)
    }
}

/// Runs programs with posix_spawn, capturing output through temporary files (no pipe can fill
/// up and stall the child, and no daemon the program leaves behind, like podman's conmon,
/// holds a pipe open).
public struct SystemCommandRunner: CommandRunning {
    /// Where programs are looked for (PATH's folders; the sbin folders are always added).
    public var searchPath: String

    public init(searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") {
        self.searchPath = searchPath
    }

    public func run(_ executable: String, _ arguments: [String], environment: [String: String], logPath: String?) throws -> CommandResult {
        guard let path = find(executable) else {
            throw LocalCloudError(.missingTool, "\(executable) is not installed; run scripts/setup.")
        }
        let fileManager = FileManager.default
        let scratch = fileManager.temporaryDirectory.appendingPathComponent("ncaas-cmd-\(UUID().uuidString)")
        try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: scratch) }
        let outPath = logPath ?? scratch.appendingPathComponent("stdout").path
        let errPath = logPath ?? scratch.appendingPathComponent("stderr").path
        let environmentForChild = environment.isEmpty
            ? ProcessInfo.processInfo.environment
            : ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pid = try Spawn.start(path, arguments, stdoutPath: outPath, stderrPath: outPath == errPath ? nil : errPath,
                                  appendOutput: logPath != nil, newSession: false, environment: environmentForChild)
        let exitCode = Spawn.wait(pid)
        if let logPath {
            return CommandResult(exitCode: exitCode, stdout: "", stderr: Self.tail(of: logPath, bytes: 2000))
        }
        return CommandResult(exitCode: exitCode,
                             stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    public func isInstalled(_ executable: String) -> Bool { find(executable) != nil }

    /// The full path of `executable` on the search path (plus the sbin folders, where
    /// debootstrap and runc live).
    func find(_ executable: String) -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        let folders = searchPath.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin"]
        return folders.map { "\($0)/\(executable)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The last `bytes` of a file, as text.
    static func tail(of path: String, bytes: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = handle.seekToEndOfFile()
        handle.seek(toFileOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }
}

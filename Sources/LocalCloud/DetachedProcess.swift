import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program in a session of its own (so closing the terminal or pressing Ctrl-C in it
/// later does not stop it), with stdin from /dev/null and stdout and stderr appended to a log.
public enum DetachedProcess {
    /// Starts `executable` (looked up on PATH) and returns its process id.
    public static func spawn(_ executable: String, _ arguments: [String], logPath: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> pid_t {
        try Spawn.start(executable, arguments, stdoutPath: logPath, stderrPath: nil, appendOutput: true,
                        newSession: true, environment: environment)
    }

    /// True while `pid` is a live (not zombie) process whose command line contains `marker`.
    public static func isAlive(_ pid: pid_t, commandContains marker: String) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            if state == "Z" || state == "X" { return false }
        }
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let commandLine = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return commandLine.contains(marker)
    }

    /// Reaps `pid` if it is this process's exited child (no-op otherwise).
    public static func reap(_ pid: pid_t) {
        _ = hasExited(pid)
    }

    /// For a child of this process: whether it has exited (it is reaped if so).
    public static func hasExited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD && kill(pid, 0) != 0)
    }

    /// Sends SIGTERM, waits up to `grace` seconds, then SIGKILL. Returns when it is gone.
    public static func stop(_ pid: pid_t, commandContains marker: String, grace: TimeInterval = 5) {
        guard isAlive(pid, commandContains: marker) else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            reap(pid)
            if !isAlive(pid, commandContains: marker) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(pid, SIGKILL)
        for _ in 0..<40 {
            reap(pid)
            if !isAlive(pid, commandContains: marker) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

/// Starts programs through `Support.ChildProcess`, turning a start failure into a LocalCloudError.
enum Spawn {
    static func start(_ executable: String, _ arguments: [String], stdoutPath: String, stderrPath: String?,
                      appendOutput: Bool, newSession: Bool,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> pid_t {
        do {
            return try ChildProcess.start(executable, arguments, stdoutPath: stdoutPath, stderrPath: stderrPath,
                                          appendOutput: appendOutput, newSession: newSession, environment: environment)
        } catch let error as ChildProcess.StartError {
            if error.code == ENOENT { throw LocalCloudError(.missingTool, "\(executable) is not installed; run scripts/setup.") }
            throw LocalCloudError(.failed, error.description)
        }
    }

    static func wait(_ pid: pid_t) -> Int32 { ChildProcess.wait(pid) }
}

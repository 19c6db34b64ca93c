import Foundation
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

/// posix_spawn with files for the standard streams: the one place processes are started.
/// (Foundation's `Process` was seen to miss the exit of `podman run -d`, whose conmon lives on.)
enum Spawn {
    /// glibc's POSIX_SPAWN_SETSID (not imported into Swift).
    private static let setSessionFlag: Int16 = 0x80

    /// Starts `executable` with stdin from /dev/null, stdout to `stdoutPath` and stderr to
    /// `stderrPath` (nil: the same file as stdout). Returns the child's pid.
    static func start(_ executable: String, _ arguments: [String], stdoutPath: String, stderrPath: String?,
                      appendOutput: Bool, newSession: Bool,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outFlags = O_WRONLY | O_CREAT | (appendOutput ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, outFlags, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, outFlags, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newSession { posix_spawnattr_setflags(&attributes, setSessionFlag) }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawnp(&pid, executable, &actions, &attributes,
                             UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                             UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        guard status == 0 else {
            if status == ENOENT { throw LocalCloudError(.missingTool, "\(executable) is not installed; run scripts/setup.") }
            throw LocalCloudError(.failed, "Could not start \(executable): \(String(cString: strerror(status))).")
        }
        return pid
    }

    /// Waits for the child `pid` to exit and returns its exit code (128 + signal when killed).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        if signal != 0 { return 128 + signal }
        return (status >> 8) & 0xff
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with posix_spawn, standard streams to and from files: the one place ncaas
/// (and its tests) start processes. Foundation's `Process` was seen to miss the exit of
/// `podman run -d` (whose conmon lives on) and of short children while a long-lived one ran.
public enum ChildProcess {
    /// glibc's POSIX_SPAWN_SETSID (not imported into Swift).
    private static let setSessionFlag: Int16 = 0x80

    /// Why a program could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public var executable: String
        /// The errno of posix_spawn (ENOENT: not installed).
        public var code: Int32
        public var description: String { "Could not start \(executable): \(String(cString: strerror(code)))." }
    }

    /// Starts `executable` (looked up on PATH when it has no slash) with stdin from `stdinPath`
    /// (/dev/null when nil), stdout to `stdoutPath` and stderr to `stderrPath` (nil: the same file
    /// as stdout), in `folder` (nil: this process's). `newSession` detaches it from the
    /// terminal's signals (Ctrl-C). Returns its pid.
    public static func start(_ executable: String, _ arguments: [String], stdinPath: String? = nil,
                             stdoutPath: String, stderrPath: String?, appendOutput: Bool = false,
                             newSession: Bool = false,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             inFolder folder: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outFlags = O_WRONLY | O_CREAT | (appendOutput ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, outFlags, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, outFlags, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Children start with the default action for the signals InterruptCleanup may ignore in
        // this process, so a Ctrl-C still reaches (and stops) them.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let flags = Int16(POSIX_SPAWN_SETSIGDEF) | (newSession ? Int16(setSessionFlag) : 0)
        posix_spawnattr_setflags(&attributes, flags)

        // posix_spawn_file_actions_addchdir_np is not visible to Swift; coreutils' `env -C` changes folder instead.
        let command = folder.map { ["env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawnp(&pid, command[0], &actions, &attributes,
                             UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                             UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        guard status == 0 else { throw StartError(executable: executable, code: status) }
        return pid
    }

    /// Waits for the child `pid` to exit and returns its exit code (128 + signal when killed).
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return exitCode(status)
    }

    /// Waits at most `timeout` seconds; nil when the child is still running.
    public static func wait(_ pid: pid_t, timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.001
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return exitCode(status) }
            if result < 0 && errno != EINTR { return -1 }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, 0.05)
        }
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal != 0 { return 128 + signal }
        return (status >> 8) & 0xff
    }
}

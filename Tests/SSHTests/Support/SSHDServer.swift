import Foundation
import SSH
import Support
import TestSupport

/// A real OpenSSH server for tests: `/usr/sbin/sshd -D -e -f CONFIG` on a loopback port, with its own
/// generated ed25519 host key and an authorized_keys file the test controls, logging in as the
/// current user. Stop it with `stop()` (also on deinit).
final class SSHDServer {
    let port: Int
    let folder: URL
    /// The host key's public half (`ssh-ed25519 AAAA...`).
    let hostPublicKeyLine: String
    let authorizedKeysPath: String
    let logPath: String
    /// sshd's process id. sshd is spawned directly rather than through Foundation's `Process`: with a
    /// long-running `Process` child alive, Foundation stopped noticing the exit of later short children
    /// (ProcessRunner hung on them), so this harness reaps its own child.
    private var pid: pid_t = 0

    /// The current user's login name (sshd must let this user in).
    static var currentUser: String {
        getpwuid(getuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "root"
    }

    /// Starts sshd. Pass `port` to reuse an address (a "replaced" server), and `hostKeyFolder` to reuse a host key.
    init(port: Int? = nil, authorizedKeys: [String], hostKeyFolder: URL? = nil) throws {
        self.port = try port ?? FreePort.next()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-sshd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)  // sshd's privilege separation folder

        let hostKeyPath: String
        if let hostKeyFolder {
            hostKeyPath = hostKeyFolder.appendingPathComponent("host_ed25519").path
        } else {
            hostKeyPath = folder.appendingPathComponent("host_ed25519").path
            let made = try ProcessRunner.run("ssh-keygen", ["-t", "ed25519", "-N", "", "-q", "-C", "test-host", "-f", hostKeyPath])
            guard made.succeeded else { throw TestSupportError("ssh-keygen failed for the host key: \(made.stderr)") }
        }
        hostPublicKeyLine = try String(contentsOfFile: hostKeyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        authorizedKeysPath = folder.appendingPathComponent("authorized_keys").path
        try (authorizedKeys.joined(separator: "\n") + "\n").write(toFile: authorizedKeysPath, atomically: true, encoding: .utf8)
        let configPath = folder.appendingPathComponent("sshd_config").path
        let sftpServer = FileManager.default.isExecutableFile(atPath: "/usr/lib/openssh/sftp-server") ? "/usr/lib/openssh/sftp-server" : "internal-sftp"
        let config = """
            ListenAddress 127.0.0.1:\(self.port)
            HostKey \(hostKeyPath)
            AuthorizedKeysFile \(authorizedKeysPath)
            PidFile none
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AllowUsers \(Self.currentUser)
            Subsystem sftp \(sftpServer)
            LogLevel VERBOSE

            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)

        logPath = folder.appendingPathComponent("sshd.log").path
        // setpriv makes the kernel stop sshd if the test process dies without calling stop().
        let setpriv = "/usr/bin/setpriv"
        let sshd = ["/usr/sbin/sshd", "-D", "-e", "-f", configPath]
        let arguments = FileManager.default.isExecutableFile(atPath: setpriv) ? [setpriv, "--pdeathsig", "TERM"] + sshd : sshd
        do {
            pid = try ChildProcess.start(arguments[0], Array(arguments.dropFirst()), stdoutPath: logPath, stderrPath: nil)
        } catch {
            throw TestSupportError("cannot start sshd: \(error)")
        }
        try waitUntilGreeting(timeout: 10)
    }

    deinit { stop() }

    /// The host key as the SSH module represents it.
    var hostKey: SSHPublicKey? { SSHPublicKey(openSSHLine: hostPublicKeyLine) }

    /// The host key's fingerprint as `ssh-keygen -l` prints it (independent of the SSH module).
    func hostKeyFingerprint() throws -> String {
        let result = try ProcessRunner.run("ssh-keygen", ["-l", "-E", "sha256", "-f", folder.appendingPathComponent("host_ed25519.pub").path])
        let fields = result.stdout.split(separator: " ")
        guard result.succeeded, fields.count >= 2 else { throw TestSupportError("ssh-keygen -l failed: \(result.stderr)") }
        return String(fields[1])
    }

    /// Stops sshd (and, with it, its sessions) and waits until it is gone.
    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
    }

    /// True while sshd has not exited (reaps it if it has).
    private func isRunning() -> Bool {
        guard pid > 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { return true }
        pid = 0
        return false
    }

    /// The last lines of sshd's log, for failure messages.
    func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    /// Polls until the server sends its "SSH-2.0-" banner.
    private func waitUntilGreeting(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard isRunning() else { throw TestSupportError("sshd exited at start", log: logTail()) }
            if Self.banner(port: port)?.hasPrefix("SSH-2.0-") == true { return }
            usleep(20_000)
        }
        throw TestSupportError("sshd did not answer on port \(port) within \(timeout) s", log: logTail())
    }

    private static func banner(port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}

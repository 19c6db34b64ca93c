/// Where and how to open an SSH session: the address, the login, the host key pins and the time limits.
public struct SSHConnectionOptions: Sendable {
    /// A host name, an IPv4 or an IPv6 address.
    public var host: String
    public var port: Int
    /// The login name (`ubuntu` on the images ncaas uses).
    public var user: String
    /// The private key file; its public half is read from `PATH.pub` if that exists.
    public var privateKeyPath: String
    /// Where host keys are pinned.
    public var knownHosts: KnownHosts
    /// The name the host key is pinned under instead of `[host]:port` (an instance id, so that a new
    /// instance reusing an address gets its own pin); the system client needs `-o HostKeyAlias=` with it.
    public var hostKeyAlias: String?
    public var hostKeyPolicy: HostKeyPolicy
    /// The longest wait for the TCP connection and for the handshake.
    public var connectTimeout: Duration
    /// The longest wait for any single step after the handshake (one SFTP request, one authentication
    /// round trip); a command's overall limit is `exec`'s `timeout`.
    public var operationTimeout: Duration
    /// How often to send a keepalive while waiting on a command (OpenSSH's ServerAliveInterval); nil: never.
    public var keepaliveInterval: Duration?

    public init(
        host: String,
        port: Int = 22,
        user: String = "ubuntu",
        privateKeyPath: String,
        knownHosts: KnownHosts,
        hostKeyAlias: String? = nil,
        hostKeyPolicy: HostKeyPolicy = .pinOnFirstContact,
        connectTimeout: Duration = .seconds(10),
        operationTimeout: Duration = .seconds(60),
        keepaliveInterval: Duration? = .seconds(15)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.privateKeyPath = privateKeyPath
        self.knownHosts = knownHosts
        self.hostKeyAlias = hostKeyAlias
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.keepaliveInterval = keepaliveInterval
    }

    /// The name the host key is pinned under: the alias, or `[host]:port` as OpenSSH writes it.
    public var hostKeyName: String { hostKeyAlias ?? KnownHosts.entryName(host: host, port: port) }

    /// Arguments for the system `ssh` client that reach the same host as the same user with the same key
    /// and the same pins, strictly checked (`ssh ARGS [COMMAND...]`), for handing over an interactive session.
    public var systemSSHArguments: [String] {
        var arguments = ["-i", privateKeyPath, "-p", String(port),
                         "-o", "IdentitiesOnly=yes",
                         "-o", "UserKnownHostsFile=\(knownHosts.path)",
                         "-o", "GlobalKnownHostsFile=/dev/null",
                         "-o", "StrictHostKeyChecking=yes"]
        if let hostKeyAlias { arguments += ["-o", "HostKeyAlias=\(hostKeyAlias)"] }
        if let keepaliveInterval { arguments += ["-o", "ServerAliveInterval=\(max(1, keepaliveInterval.components.seconds))"] }
        arguments += ["-o", "ConnectTimeout=\(max(1, connectTimeout.components.seconds))", "--", "\(user)@\(host)"]
        return arguments
    }

    /// "host:port", for messages.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Duration {
    /// Whole milliseconds, at least 1 (libssh2 and poll take milliseconds; 0 means "forever" to libssh2).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}

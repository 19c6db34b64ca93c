import CSSH2

/// libssh2's global state, initialised exactly once per process.
public enum SSHLibrary {
    private static let initialized: Int32 = libssh2_init(0)

    /// Initialises libssh2 (idempotent).
    public static func initialize() { _ = initialized }

    /// libssh2's version, like "1.10.0".
    public static var version: String {
        initialize()
        return libssh2_version(0).map { String(cString: $0) } ?? "unknown"
    }
}

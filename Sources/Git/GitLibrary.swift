import CGit2

/// libgit2's global state, initialised exactly once per process.
public enum GitLibrary {
    private static let initialized: Int32 = git_libgit2_init()

    /// Initialises libgit2 (idempotent); call before any other libgit2 use.
    public static func initialize() { _ = initialized }

    /// libgit2's version, like "1.5.1".
    public static var version: String {
        initialize()
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        git_libgit2_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

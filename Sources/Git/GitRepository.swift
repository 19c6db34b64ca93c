import CGit2

/// An open git repository (owns its `git_repository*`).
public final class GitRepository {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) { self.handle = handle }

    deinit { git_repository_free(handle) }

    /// Opens the repository that contains `path` (searching parent folders, like `git`).
    public static func discover(containing path: String) throws -> GitRepository {
        GitLibrary.initialize()
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_repository_discover(&buffer, path, 0, nil), "find a git repository containing \(path)")
        var repository: OpaquePointer?
        try check(git_repository_open(&repository, buffer.ptr), "open the git repository containing \(path)")
        return GitRepository(handle: repository!)
    }

    /// Creates a new repository (with a work tree) at `path`.
    public static func create(at path: String) throws -> GitRepository {
        GitLibrary.initialize()
        var repository: OpaquePointer?
        try check(git_repository_init(&repository, path, 0), "create a git repository at \(path)")
        return GitRepository(handle: repository!)
    }

    /// The work tree folder, with a trailing slash.
    public var workTree: String? {
        git_repository_workdir(handle).map { String(cString: $0) }
    }

    /// True when HEAD points at a branch with no commits yet.
    public var hasNoCommits: Bool {
        get throws { try check(git_repository_head_unborn(handle), "read HEAD") == 1 }
    }
}

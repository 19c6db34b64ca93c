import CGit2

extension GitRepository {
    /// The commit HEAD points at, or nil when the branch has no commits yet.
    public func headCommitID() throws -> GitCommitID? {
        var headID = git_oid()
        let lookup = git_reference_name_to_id(&headID, handle, "HEAD")
        if lookup == GIT_ENOTFOUND.rawValue { return nil }
        try check(lookup, "read HEAD")
        return GitCommitID(hex: String(cString: git_oid_tostr_s(&headID)))
    }
}

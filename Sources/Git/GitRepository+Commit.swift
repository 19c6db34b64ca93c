import CGit2

/// A commit id (40 hex digits).
public struct GitCommitID: Hashable, Sendable, CustomStringConvertible {
    public var hex: String
    public var description: String { hex }
}

extension GitRepository {
    /// One file of a commit: its path relative to the work tree, its bytes, and whether it is executable.
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: [UInt8]
        /// nil keeps the mode HEAD has for the path (a regular file when new).
        public var executable: Bool?

        public init(path: String, contents: [UInt8], executable: Bool? = nil) {
            self.path = path
            self.contents = contents
            self.executable = executable
        }
    }

    /// Commits `contents` as the file at `path` (relative to the work tree) on top of HEAD and
    /// moves HEAD's branch to the new commit. Nothing else changes: the new tree is HEAD's tree
    /// with that one file replaced, whatever else is staged stays staged, and the working file
    /// is not touched (write it yourself). Works on a branch with no commits yet. The author and
    /// committer come from git config (`user.name`, `user.email`).
    @discardableResult
    public func commitFile(_ path: String, contents: [UInt8], message: String) throws -> GitCommitID {
        try commitFiles([File(path: path, contents: contents)], message: message)
    }

    /// Commits `files` on top of HEAD as `commitFile` does one: HEAD's tree with those files
    /// replaced or added, nothing else staged or touched.
    @discardableResult
    public func commitFiles(_ files: [File], message: String) throws -> GitCommitID {
        let what = files.count == 1 ? files[0].path : "\(files.count) files"
        var signature: UnsafeMutablePointer<git_signature>?
        if git_signature_default(&signature, handle) < 0 {
            throw GitError(code: -1, operation: "commit \(what)",
                           message: "git does not know who you are: set `git config user.name \"Your Name\"` and `git config user.email you@example.org`")
        }
        defer { git_signature_free(signature) }

        // The parent: HEAD's commit, unless the branch has no commits yet.
        var parentID = git_oid()
        var parent: OpaquePointer?
        let headLookup = git_reference_name_to_id(&parentID, handle, "HEAD")
        if headLookup == GIT_ENOTFOUND.rawValue {
            parent = nil
        } else {
            try check(headLookup, "read HEAD")
            try check(git_commit_lookup(&parent, handle, &parentID), "read the HEAD commit")
        }
        defer { if let parent { git_commit_free(parent) } }

        // HEAD's tree with the files replaced, built in an index of our own.
        var scratch: OpaquePointer?
        try check(git_index_new(&scratch), "create an index")
        defer { git_index_free(scratch) }
        if let parent {
            var tree: OpaquePointer?
            try check(git_commit_tree(&tree, parent), "read the HEAD tree")
            defer { git_tree_free(tree) }
            try check(git_index_read_tree(scratch, tree), "read the HEAD tree")
        }
        var modes: [UInt32] = []
        for file in files {
            var mode = UInt32(GIT_FILEMODE_BLOB.rawValue)
            if let executable = file.executable {
                mode = UInt32(executable ? GIT_FILEMODE_BLOB_EXECUTABLE.rawValue : GIT_FILEMODE_BLOB.rawValue)
            } else if let existing = git_index_get_bypath(scratch, file.path, 0) {
                mode = existing.pointee.mode  // keep an executable bit
            }
            modes.append(mode)
            try addEntry(path: file.path, mode: mode, contents: file.contents, to: scratch)
        }
        var treeID = git_oid()
        try check(git_index_write_tree_to(&treeID, scratch, handle), "write the tree")
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, handle, &treeID), "read the new tree")
        defer { git_tree_free(tree) }

        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        _ = try parents.withUnsafeMutableBufferPointer { buffer in
            try check(git_commit_create(&commitID, handle, "HEAD", signature, signature, nil, message, tree,
                                        buffer.count, buffer.baseAddress), "commit \(what)")
        }

        // Stage the committed content for these paths only, so `git status` shows them as committed.
        var repositoryIndex: OpaquePointer?
        try check(git_repository_index(&repositoryIndex, handle), "open the repository index")
        defer { git_index_free(repositoryIndex) }
        for (file, mode) in zip(files, modes) {
            try addEntry(path: file.path, mode: mode, contents: file.contents, to: repositoryIndex)
        }
        try check(git_index_write(repositoryIndex), "write the repository index")
        return GitCommitID(hex: String(cString: git_oid_tostr_s(&commitID)))
    }

    /// True when git ignores `path` (relative to the work tree): `.gitignore`, `.git/info/exclude`,
    /// the global excludes file.
    public func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try check(git_ignore_path_is_ignored(&ignored, handle, path), "check whether git ignores \(path)")
        return ignored != 0
    }

    /// The contents of `path` in HEAD's tree, or nil when HEAD has no commits or no such file.
    public func headContents(of path: String) throws -> [UInt8]? {
        var headID = git_oid()
        let lookup = git_reference_name_to_id(&headID, handle, "HEAD")
        if lookup == GIT_ENOTFOUND.rawValue { return nil }
        try check(lookup, "read HEAD")
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, handle, &headID), "read the HEAD commit")
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commit), "read the HEAD tree")
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let found = git_tree_entry_bypath(&entry, tree, path)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check(found, "find \(path) in HEAD")
        defer { git_tree_entry_free(entry) }
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, handle, git_tree_entry_id(entry)), "read \(path) in HEAD")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    private func addEntry(path: String, mode: UInt32, contents: [UInt8], to index: OpaquePointer?) throws {
        var blobID = git_oid()
        _ = try contents.withUnsafeBytes { bytes in
            try check(git_blob_create_from_buffer(&blobID, handle, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), bytes.count), "store \(path)")
        }
        var entry = git_index_entry()
        entry.mode = mode
        entry.id = blobID
        entry.file_size = UInt32(truncatingIfNeeded: contents.count)
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index, &entry), "stage \(path)")
        }
    }
}

import Foundation
import Git

/// The git commit a blueprint is deployed from, for the stack's `ncaas:blueprint-commit` tag:
/// HEAD's commit id when the blueprint file is as committed there, that id and `+uncommitted`
/// when it differs, `uncommitted` when HEAD has no copy, `none` outside a git repository.
public enum DeployBlueprintCommit {
    public static func describe(blueprintPath: String) -> String {
        let url = URL(fileURLWithPath: blueprintPath).standardizedFileURL.resolvingSymlinksInPath()
        guard let repository = try? GitRepository.discover(containing: url.deletingLastPathComponent().path),
              let workTree = repository.workTree else { return "none" }
        guard let head = try? repository.headCommitID() else { return "uncommitted" }
        let root = URL(fileURLWithPath: workTree).standardizedFileURL.resolvingSymlinksInPath().path
        let full = url.path
        guard full.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return head.hex + "+uncommitted" }
        let relative = String(full.dropFirst(root.hasSuffix("/") ? root.count : root.count + 1))
        guard let committed = try? repository.headContents(of: relative) else { return "uncommitted" }
        let current = FileManager.default.contents(atPath: blueprintPath).map { [UInt8]($0) }
        return committed == current ? head.hex : head.hex + "+uncommitted"
    }
}

import Blueprint
import Foundation
import Git
import LosslessJSON
import Support

/// Writes a new AMI into a blueprint (a lossless one-line edit) and records it in git with two
/// commits made through libgit2: the blueprint as it was before the update, then after it. Only
/// the blueprint file is committed; whatever else is staged stays staged. Refused, changing
/// nothing, when the blueprint holds anything shaped like a credential.
public enum BlueprintAMIUpdate {
    public struct Result: Sendable, Equatable {
        public var blueprintPath: String
        public var previousAMI: String?
        public var newAMI: String
        /// The commit recording the blueprint before, then the one after.
        public var before: String
        public var after: String
    }

    public static let amiPath = JSONPath(Blueprint.lambdaConfigPath.components + [.key("AMI")])

    /// Sets `Lambda.LambdaConfig.AMI` to `imageId` in the blueprint at `path` and commits.
    /// - Parameter purpose: what the image holds, for the commit message.
    public static func run(blueprintPath path: String, imageId: String, purpose: String?, source: String) throws -> Result {
        guard MachineImage.isAMIID(imageId) else { throw DevError(.badInput, "'\(imageId)' is not an AMI id (ami- and 8 or 17 hex digits).") }
        // The same lock as `blueprint set`: a set running meanwhile is neither lost nor loses this.
        return try FolderLock.around(folderOf: path) { try update(path, imageId: imageId, purpose: purpose, source: source) }
    }

    private static func update(_ path: String, imageId: String, purpose: String?, source: String) throws -> Result {
        guard let data = FileManager.default.contents(atPath: path) else { throw DevError(.notFound, "\(path) cannot be read.") }
        let beforeText = String(decoding: data, as: UTF8.self)
        if let finding = CredentialScan.firstFinding(in: beforeText) {
            throw DevError(.refused, "Not updated: \(path) holds \(finding); remove it (credentials never belong in a blueprint) and try again.")
        }
        let document: JSONDocument
        do { document = try JSONDocument(bytes: Array(data)) } catch {
            throw DevError(.badInput, "\(path) is not valid JSON: \(error).")
        }
        let previous = document.value(at: amiPath)?.stringValue
        let updated = try document.setting(.string(imageId), at: amiPath)

        // The repository and the file's place in it, before anything is written.
        let (repository, relative) = try recordingPlace(path)
        let url = URL(fileURLWithPath: path)
        let name = Blueprint(document: document).pipelineName ?? url.deletingLastPathComponent().lastPathComponent

        let before = try repository.commitFile(relative, contents: Array(data), message: """
            ncaas: \(name) blueprint before the AMI update

            Recorded by `ncaas \(source)` before writing \(imageId) into Lambda.LambdaConfig.AMI (was \(previous ?? "unset")).
            """)
        let message = """
            ncaas: \(name) AMI \(previous ?? "unset") -> \(imageId)

            \(purpose.map { $0 + "\n\n" } ?? "")Image \(imageId), made by `ncaas \(source)`.
            """
        let after = try repository.commitFile(relative, contents: updated.bytes, message: message)
        try AtomicFile.write(Data(updated.bytes), to: path)
        return Result(blueprintPath: path, previousAMI: previous, newAMI: imageId, before: before.hex, after: after.hex)
    }

    /// Throws the sentence `run` would refuse with when the blueprint at `path` cannot be recorded
    /// (not in a git repository, or outside its work tree), so a build can refuse before it starts.
    /// - Parameter refusal: how the sentence starts ("Not built").
    public static func checkRecordable(blueprintPath path: String, refusal: String) throws {
        _ = try recordingPlace(path, refusal: refusal)
    }

    /// The repository holding `path` and the file's path in its work tree.
    private static func recordingPlace(_ path: String, refusal: String = "Not updated") throws -> (GitRepository, String) {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        let repository: GitRepository
        do { repository = try GitRepository.discover(containing: url.deletingLastPathComponent().path) } catch {
            throw DevError(.refused, "\(refusal): \(path) is not in a git repository, so the change could not be recorded; run `git init` in the project first.")
        }
        guard let workTree = repository.workTree else { throw DevError(.refused, "\(refusal): the repository containing \(path) has no work tree.") }
        let root = URL(fileURLWithPath: workTree).standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard url.path.hasPrefix(prefix) else { throw DevError(.refused, "\(refusal): \(path) is outside the repository's work tree \(root).") }
        return (repository, String(url.path.dropFirst(prefix.count)))
    }
}

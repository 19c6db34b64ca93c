import Blueprint
import Foundation
import Git
import LosslessJSON
import Support

/// Writes a new AMI into a blueprint (a lossless one-line edit) and records it in git with two
/// commits made through libgit2: the blueprint as it was before the update (with, for an image
/// build, the files the image was built from: setup.sh and the rest of the folder), then after it.
/// Only those files are committed; whatever else is staged stays staged. Refused, changing
/// nothing, when any of them holds anything shaped like a credential.
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

    /// A file an image was built from, as it was uploaded.
    public struct BuildFile: Sendable, Equatable {
        public var path: String
        public var contents: [UInt8]
        public var executable: Bool
    }

    /// Sets `Lambda.LambdaConfig.AMI` to `imageId` in the blueprint at `path` and commits.
    /// - Parameter purpose: what the image holds, for the commit message.
    /// - Parameter buildFiles: the files the image was built from (`buildFiles(folder:blueprintPath:)`),
    ///   committed with the blueprint as it was.
    public static func run(blueprintPath path: String, imageId: String, purpose: String?, source: String, buildFiles: [BuildFile] = []) throws -> Result {
        guard MachineImage.isAMIID(imageId) else { throw DevError(.badInput, "'\(imageId)' is not an AMI id (ami- and 8 or 17 hex digits).") }
        // The same lock as `blueprint set`: a set running meanwhile is neither lost nor loses this.
        return try FolderLock.around(folderOf: path) { try update(path, imageId: imageId, purpose: purpose, source: source, buildFiles: buildFiles) }
    }

    /// Every file of the blueprint's folder but the blueprint itself, read now, except what git
    /// ignores (and `.git`): what an image build uploads and records. Refused (changing nothing)
    /// when one of them, or the blueprint, holds anything shaped like a credential.
    public static func buildFiles(folder: String, blueprintPath: String, refusal: String) throws -> [BuildFile] {
        let (repository, _) = try recordingPlace(blueprintPath, refusal: refusal)
        let root = URL(fileURLWithPath: repository.workTree ?? "/").standardizedFileURL.resolvingSymlinksInPath().path
        let base = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let blueprint = URL(fileURLWithPath: blueprintPath).standardizedFileURL.resolvingSymlinksInPath().path
        var files: [BuildFile] = []
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey])
        while let url = walker?.nextObject() as? URL {
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            let inRepository = String(full.dropFirst(root.count + (root.hasSuffix("/") ? 0 : 1)))
            if url.lastPathComponent == ".git" || (try? repository.isIgnored(inRepository)) == true {
                walker?.skipDescendants()
                continue
            }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, full != blueprint else { continue }
            guard let data = FileManager.default.contents(atPath: full) else { throw DevError(.failed, "\(full) cannot be read.") }
            let executable = FileManager.default.isExecutableFile(atPath: full)
            files.append(BuildFile(path: full, contents: Array(data), executable: executable))
        }
        files.sort { $0.path < $1.path }
        let named = files.map { (name: String($0.path.dropFirst(base.path.count + 1)), contents: $0.contents) }
            + [(name: (blueprintPath as NSString).lastPathComponent, contents: Array(FileManager.default.contents(atPath: blueprintPath) ?? Data()))]
        if let finding = CredentialScan.firstFinding(inFiles: named) {
            throw DevError(.refused, "\(refusal): \(folder) holds \(finding); remove it (credentials never belong in what is committed or built into an image) and try again.")
        }
        return files
    }

    private static func update(_ path: String, imageId: String, purpose: String?, source: String, buildFiles: [BuildFile]) throws -> Result {
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

        let root = URL(fileURLWithPath: repository.workTree ?? "/").standardizedFileURL.resolvingSymlinksInPath().path
        let sources = buildFiles.map { GitRepository.File(path: String($0.path.dropFirst(root.count + (root.hasSuffix("/") ? 0 : 1))), contents: $0.contents, executable: $0.executable) }
        let sourceNames = sources.map { ($0.path as NSString).lastPathComponent }
        let beforeMessage = sources.isEmpty ? """
            ncaas: \(name) blueprint before the AMI update

            Recorded by `ncaas \(source)` before writing \(imageId) into Lambda.LambdaConfig.AMI (was \(previous ?? "unset")).
            """ : """
            ncaas: \(name) image sources and blueprint before the AMI update

            Recorded by `ncaas \(source)`: the \(sources.count) file\(sources.count == 1 ? "" : "s") image \(imageId) was built from (\(sourceNames.prefix(8).joined(separator: ", "))\(sources.count > 8 ? ", ..." : "")), and the blueprint before writing \(imageId) into Lambda.LambdaConfig.AMI (was \(previous ?? "unset")).
            """
        let before = try repository.commitFiles(sources + [GitRepository.File(path: relative, contents: Array(data))], message: beforeMessage)
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

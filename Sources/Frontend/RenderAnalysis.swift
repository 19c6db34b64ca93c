import Blueprint
import Deploy
import Foundation
import LosslessJSON
import Support

/// `ncaas render`: the analysis's CloudFormation template, written deterministically (same
/// blueprint, same bytes) to `stacks/<name>.json` so an infrastructure change is a git diff.
public struct RenderAnalysis {
    /// A blueprint that passed validation, with its template.
    public struct Loaded {
        public var blueprintPath: String
        public var template: StackTemplate
    }

    public struct Written {
        public var path: String
        /// False when the file already held exactly these bytes.
        public var changed: Bool
        public var template: StackTemplate
    }

    public init() {}

    /// Resolves, reads and validates a blueprint; any error finding refuses it, with the
    /// validator's messages, before anything else happens.
    /// `manager` false renders without the job manager (`deploy --no-manager`); nil: as the blueprint says.
    public static func load(_ target: String, manager: Bool? = nil) throws -> Loaded {
        let path = try BlueprintFile.resolve(target)
        let document = try BlueprintFile.load(path)
        let errors = BlueprintValidator.validate(document).filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw DeployError.invalidBlueprint(errors.map { "\($0.path): \($0.message)" })
        }
        let template = try StackTemplate(blueprint: Blueprint(document: document), manager: manager)
        AnalysisHint.record(target, for: template.naming.analysis)
        return Loaded(blueprintPath: path, template: template)
    }

    /// `stacks/<folder>.json` beside the `blueprints/` folder that holds the blueprint in
    /// `blueprints/<folder>/` (the name commands take, which a NeuroCAAS blueprint's PipelineName
    /// often is not); for a blueprint elsewhere, `stacks/<name>.json` beside the nearest `blueprints/`.
    public static func defaultOutputPath(blueprintPath: String, name: String) -> String {
        let folder = URL(fileURLWithPath: blueprintPath).standardizedFileURL.deletingLastPathComponent()
        if folder.deletingLastPathComponent().lastPathComponent == "blueprints" {
            let root = folder.deletingLastPathComponent().deletingLastPathComponent()
            return root.appendingPathComponent("stacks").appendingPathComponent("\(folder.lastPathComponent).json").path
        }
        let root = URL(fileURLWithPath: BlueprintFile.blueprintsFolder()).deletingLastPathComponent()
        return root.appendingPathComponent("stacks").appendingPathComponent("\(name).json").path
    }

    /// Renders and writes the template; `output` nil means the default path.
    public func run(_ target: String, output: String?) throws -> Written {
        let loaded = try Self.load(target)
        let path = output ?? Self.defaultOutputPath(blueprintPath: loaded.blueprintPath, name: loaded.template.naming.analysis)
        let text = loaded.template.text
        if FileManager.default.contents(atPath: path) == Data(text.utf8) {
            return Written(path: path, changed: false, template: loaded.template)
        }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            try AtomicFile.write(text, to: path)
        } catch {
            throw RenderError.cannotWrite(path, LocalPath.describe(error))
        }
        return Written(path: path, changed: true, template: loaded.template)
    }
}

/// Why a rendered template could not be written.
public enum RenderError: UserFacingError {
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "Could not write the template to \(path): \(reason)"
        }
    }

    public var exitCode: Int32 { ExitCodes.cannotCreate }
}

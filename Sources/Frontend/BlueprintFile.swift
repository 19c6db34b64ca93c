import Blueprint
import Foundation
import LosslessJSON
import Support

/// Finds, reads and writes blueprint files.
public enum BlueprintFile {
    /// The folder that holds `<name>/stack_config_template.json` folders: the nearest `blueprints/`
    /// folder in the current directory or one of its parents, else `./blueprints`.
    public static func blueprintsFolder(from directory: String = FileManager.default.currentDirectoryPath) -> String {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = url.appendingPathComponent("blueprints").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return URL(fileURLWithPath: directory).appendingPathComponent("blueprints").path
    }

    /// Resolves what a user typed — a blueprint name, a folder, or a JSON file — to the file path.
    public static func resolve(_ nameOrPath: String) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return nameOrPath }
            let file = (nameOrPath as NSString).appendingPathComponent(Blueprint.fileName)
            guard FileManager.default.fileExists(atPath: file) else { throw BlueprintFileError.folderWithoutBlueprint(nameOrPath) }
            return file
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { throw BlueprintFileError.notFound(nameOrPath) }
        let file = (blueprintsFolder() as NSString).appendingPathComponent("\(nameOrPath)/\(Blueprint.fileName)")
        guard FileManager.default.fileExists(atPath: file) else { throw BlueprintFileError.unknownName(nameOrPath, blueprintsFolder()) }
        return file
    }

    /// Reads and parses the blueprint at `path`.
    public static func load(_ path: String) throws -> JSONDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlueprintFileError.unreadable(path)
        }
        do {
            return try JSONDocument(bytes: Array(data))
        } catch let error as JSONSyntaxError {
            throw BlueprintFileError.syntax(path, error)
        }
    }

    /// Writes `document` back to `path` atomically, keeping the file's mode.
    public static func save(_ document: JSONDocument, to path: String) throws {
        try AtomicFile.write(Data(document.bytes), to: path)
    }
}

/// Why a blueprint could not be found or read.
public enum BlueprintFileError: UserFacingError, Equatable {
    case notFound(String)
    case unknownName(String, String)
    case folderWithoutBlueprint(String)
    case unreadable(String)
    case syntax(String, JSONSyntaxError)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path) does not exist."
        case let .unknownName(name, folder):
            return "There is no blueprint named '\(name)' in \(folder): create it with `ncaas configure \(name)` or give the path to its folder."
        case .folderWithoutBlueprint(let folder):
            return "\(folder) holds no \(Blueprint.fileName): give the blueprint's folder or its JSON file."
        case .unreadable(let path): return "\(path) cannot be read: check that it is a file and that you may read it."
        case let .syntax(path, error): return "\(path) is not valid JSON: \(error)."
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .syntax: return ExitCodes.dataError
        default: return ExitCodes.noInput
        }
    }
}

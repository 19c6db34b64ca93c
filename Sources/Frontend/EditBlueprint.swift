import Blueprint
import JQ
import LosslessJSON
import Support

/// `ncaas blueprint get` and `ncaas blueprint set`.
public enum EditBlueprint {
    /// Runs a jq filter over the blueprint and returns each result (strings raw when `raw`).
    public static func get(_ nameOrPath: String, filter: String, raw: Bool) throws -> [String] {
        let path = try BlueprintFile.resolve(nameOrPath)
        let document = try BlueprintFile.load(path)
        let compiled = try JQFilter(filter)
        return try compiled.run(json: document.text, style: raw ? .raw : .pretty(indent: 2))
    }

    /// Sets the value at `fieldPath` to the JSON text `jsonValue`, changing nothing else in the
    /// file, and refuses (writing nothing) when the result would not be a valid blueprint.
    /// Returns the file written.
    @discardableResult
    public static func set(_ nameOrPath: String, fieldPath: String, jsonValue: String, allowInvalid: Bool = false) throws -> String {
        let path = try BlueprintFile.resolve(nameOrPath)
        // Read, change and write under the blueprint folder's lock, so that concurrent sets (and AMI
        // updates) each see the others' changes: every exit 0 means the change is in the file.
        return try FolderLock.around(folderOf: path) { try setLocked(path, fieldPath: fieldPath, jsonValue: jsonValue, allowInvalid: allowInvalid) }
    }

    private static func setLocked(_ path: String, fieldPath: String, jsonValue: String, allowInvalid: Bool) throws -> String {
        let document = try BlueprintFile.load(path)
        let jsonPath: JSONPath
        do { jsonPath = try JSONPath(parsing: fieldPath) } catch let error as JSONPathError { throw EditError.badPath(error) }
        let value: JSONValue
        do {
            value = try JSONDocument(text: jsonValue).value
        } catch let error as JSONSyntaxError {
            throw EditError.badValue(jsonValue, error)
        }
        let updated: JSONDocument
        do { updated = try document.setting(value, at: jsonPath) } catch let error as JSONEditError { throw EditError.cannotEdit(error) }
        if !allowInvalid {
            let before = Set(BlueprintValidator.validate(document).filter { $0.severity == .error }.map(\.description))
            let introduced = BlueprintValidator.validate(updated).filter { $0.severity == .error && !before.contains($0.description) }
            if let first = introduced.first { throw EditError.wouldBeInvalid(first) }
        }
        try BlueprintFile.save(updated, to: path)
        return path
    }

    /// Why an edit was refused.
    public enum EditError: UserFacingError {
        case badPath(JSONPathError)
        case badValue(String, JSONSyntaxError)
        case cannotEdit(JSONEditError)
        case wouldBeInvalid(BlueprintFinding)

        public var description: String {
            switch self {
            case .badPath(let error): return error.description
            case let .badValue(text, error):
                return "The value '\(text)' is not JSON (\(error.reason)): quote strings, for example '\"m5.xlarge\"'."
            case .cannotEdit(let error): return error.description
            case .wouldBeInvalid(let finding):
                return "Not changed: the blueprint would become invalid (\(finding.path) \(finding.message)) Use --force to write it anyway."
            }
        }

        public var exitCode: Int32 {
            switch self {
            case .wouldBeInvalid: return ExitCodes.refused
            default: return ExitCodes.dataError
            }
        }
    }
}

extension JQError: UserFacingError {
    public var exitCode: Int32 { ExitCodes.dataError }
}

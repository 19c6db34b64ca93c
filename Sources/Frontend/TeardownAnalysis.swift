import AWS
import Deploy
import Foundation
import LosslessJSON
import Support

/// `ncaas teardown`: deletes the analysis's stack; keeps the bucket and its data unless asked.
public struct TeardownAnalysis {
    private let overrides: ConfigurationOverrides
    private let transport: any HTTPTransport

    public init(overrides: ConfigurationOverrides, transport: any HTTPTransport = CurlTransport()) {
        self.overrides = overrides
        self.transport = transport
    }

    /// The question asked before tearing down (a terminal answers it; `--yes` skips it).
    public static func question(name: String, bucket: String? = nil, deleteData: Bool) -> String {
        let bucket = bucket ?? name
        return deleteData
            ? "Delete stack \(name) AND bucket \(bucket) with all its data? This cannot be undone. Type the analysis name to confirm: "
            : "Delete stack \(name)? The bucket \(bucket) and its data are kept. Type the analysis name to confirm: "
    }

    /// The refusal when nobody can be asked.
    public static func refusal(name: String, deleteData: Bool) -> DeployError {
        .needsConfirmation("Refusing to tear down \(name)\(deleteData ? " and delete its data" : "") without confirmation: standard input is not a terminal, so pass --yes.")
    }

    /// Tears the analysis down. `confirm` is asked (with the question) unless `yes`; it returns
    /// the user's answer, or nil when nobody can answer (no terminal).
    public func run(_ target: String, deleteData: Bool, yes: Bool, timeout: TimeInterval,
                    confirm: (String) -> String?, progress: ((DeployProgress) -> Void)?) throws -> StackTeardown.Result {
        let loaded = try RenderAnalysis.load(target)
        let name = loaded.template.naming.analysis
        if !yes {
            guard let answer = confirm(Self.question(name: name, bucket: loaded.template.naming.bucketName, deleteData: deleteData)) else {
                throw Self.refusal(name: name, deleteData: deleteData)
            }
            guard answer.trimmingCharacters(in: .whitespacesAndNewlines) == name else {
                throw DeployError.needsConfirmation("Not confirmed (the answer was not '\(name)'): nothing was deleted.")
            }
        }
        let client = try DeployAnalysis.client(overrides: overrides, transport: transport, blueprint: loaded.template.blueprint)
        return try StackTeardown(client: client, template: loaded.template, progress: progress).run(deleteData: deleteData, timeout: timeout)
    }

    public static func text(_ result: StackTeardown.Result) -> String {
        var lines: [String] = []
        lines.append(result.stackDeleted ? "Stack \(result.stackName) deleted." : "Stack \(result.stackName) did not exist.")
        for sentence in result.cleaned { lines.append("Cleaned: \(sentence).") }
        if result.bucketDeleted { lines.append("Bucket \(result.bucketName) deleted with its \(result.objectsDeleted) object\(result.objectsDeleted == 1 ? "" : "s").") }
        if result.bucketKept { lines.append("Bucket \(result.bucketName) and its data kept (use --delete-data to delete them).") }
        return lines.joined(separator: "\n")
    }

    public static func json(_ result: StackTeardown.Result) -> JSONValue {
        .object([
            ("stack", .string(result.stackName)),
            ("stackDeleted", .bool(result.stackDeleted)),
            ("bucket", .string(result.bucketName)),
            ("bucketKept", .bool(result.bucketKept)),
            ("bucketDeleted", .bool(result.bucketDeleted)),
            ("objectsDeleted", .number(String(result.objectsDeleted))),
            ("cleaned", .array(result.cleaned.map(JSONValue.string))),
        ])
    }
}

import Support
import AWS
import Blueprint
import LosslessJSON

/// `ncaas blueprint validate`: checks blueprints and reports every finding.
public struct ValidateBlueprints {
    /// The findings for one file.
    public struct FileReport: Sendable {
        public var file: String
        public var findings: [BlueprintFinding]
        public var isValid: Bool { !findings.contains { $0.severity == .error } }
    }

    public init() {}

    /// Validates each target (a name, folder or file). A target that cannot be found or parsed is
    /// reported as an error finding for that target; the others are still checked. With `cloud`,
    /// a blueprint free of errors is also checked against the account (`CloudBlueprintChecks`); a
    /// cloud that cannot be reached throws.
    public func run(_ targets: [String], cloud: ConfigurationOverrides? = nil) throws -> [FileReport] {
        var reports = run(targets)
        guard let cloud else { return reports }
        for index in reports.indices where reports[index].isValid {
            guard let document = try? BlueprintFile.load(reports[index].file) else { continue }
            AnalysisHint.record(targets[index], for: Blueprint(document: document).pipelineName ?? targets[index])
            reports[index].findings += try CloudBlueprintChecks.findings(document, overrides: cloud)
        }
        return reports
    }

    /// The findings of the blueprints alone (no cloud).
    public func run(_ targets: [String]) -> [FileReport] {
        targets.map { target in
            let path: String
            do {
                path = try BlueprintFile.resolve(target)
            } catch {
                return FileReport(file: target, findings: [BlueprintFinding(severity: .error, path: JSONPath([]).description, message: "\(error)")])
            }
            do {
                let document = try BlueprintFile.load(path)
                return FileReport(file: path, findings: BlueprintValidator.validate(document))
            } catch BlueprintFileError.syntax(_, let syntax) {
                return FileReport(file: path, findings: [BlueprintFinding(
                    severity: .error, path: JSONPath([]).description,
                    message: "is not valid JSON: \(syntax.reason).", line: syntax.line, column: syntax.column)])
            } catch {
                return FileReport(file: path, findings: [BlueprintFinding(severity: .error, path: JSONPath([]).description, message: "\(error)")])
            }
        }
    }

    /// Compiler-style lines (`file:line:col: error: path: message`) and a summary per file.
    public static func text(_ reports: [FileReport]) -> String {
        var lines: [String] = []
        for report in reports {
            for finding in report.findings {
                let position = finding.line.map { ":\($0):\(finding.column ?? 1)" } ?? ""
                lines.append("\(report.file)\(position): \(finding.severity.rawValue): \(finding.path): \(finding.message)")
            }
            let errors = report.findings.filter { $0.severity == .error }.count
            let warnings = report.findings.filter { $0.severity == .warning }.count
            let notes = report.findings.filter { $0.severity == .note }.count
            let counts = [errors > 0 ? plural(errors, "error") : nil, warnings > 0 ? plural(warnings, "warning") : nil,
                          notes > 0 ? plural(notes, "note") : nil].compactMap { $0 }
            lines.append("\(report.file): \(report.isValid ? "valid" : "invalid")\(counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")")
        }
        return lines.joined(separator: "\n")
    }

    /// The same findings as JSON: an array of `{file, valid, findings: [...]}`.
    public static func json(_ reports: [FileReport]) -> JSONValue {
        .array(reports.map { report in
            .object([
                ("file", .string(report.file)),
                ("valid", .bool(report.isValid)),
                ("findings", .array(report.findings.map { finding in
                    var members: [(key: String, value: JSONValue)] = [
                        ("severity", .string(finding.severity.rawValue)),
                        ("path", .string(finding.path)),
                        ("message", .string(finding.message)),
                    ]
                    if let line = finding.line { members.append(("line", .number(String(line)))) }
                    if let column = finding.column { members.append(("column", .number(String(column)))) }
                    return .object(members)
                })),
            ])
        })
    }

    private static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

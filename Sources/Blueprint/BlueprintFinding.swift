import LosslessJSON

/// One problem found in a blueprint.
public struct BlueprintFinding: Equatable, Sendable, CustomStringConvertible {
    /// `note`: not a problem; what ncaas does differently from NeuroCAAS.
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    /// Where: `Lambda.LambdaConfig.COMMAND`; `(the document)` for the whole file.
    public var path: String
    /// One sentence saying what is wrong and what to do.
    public var message: String
    /// 1-based position in the file, when known.
    public var line: Int?
    public var column: Int?

    public init(severity: Severity, path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        let position = line.map { ":\($0):\(column ?? 1)" } ?? ""
        return "\(severity.rawValue)\(position): \(path): \(message)"
    }
}

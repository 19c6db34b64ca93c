import LosslessJSON

/// The numeric LambdaConfig fields and the ranges in which they mean something. One place, read by
/// `BlueprintValidator` (which reports a value outside with its path and position) and by the job
/// settings (which read only values inside), so a number that validates is one a job can use:
/// `1e999`, `1e300` or `9223372036854775808` never reach an `Int`.
public enum LambdaConfigNumbers {
    /// One numeric field.
    public struct Field: Sendable {
        public var key: String
        /// The values allowed, both ends included unless `zeroAllowed` is false (then zero is not).
        public var range: ClosedRange<Double>
        public var zeroAllowed: Bool
        public var integer: Bool
        /// Whether a string holding a number is accepted (NeuroCAAS's blueprints write MAXCOST as one).
        public var stringAllowed: Bool
        /// What the number counts, for messages.
        public var unit: String
    }

    /// NeuroCAAS's launcher limit (its job Lambda's timeout), in seconds: how long the job manager
    /// may take from the submission to COMMAND running on every instance.
    public static let executionTimeout = Field(key: "EXECUTION_TIMEOUT", range: 0...86_400, zeroAllowed: false, integer: false,
                                               stringAllowed: false, unit: "seconds the launcher may take to start COMMAND on every instance, at most 86400 (a day)")
    /// NeuroCAAS's command limit (its SSM command's timeout), in seconds: how long COMMAND may run on
    /// an instance, unless the config's `__duration__` says otherwise.
    public static let ssmTimeout = Field(key: "SSM_TIMEOUT", range: 0...172_800, zeroAllowed: false, integer: false,
                                         stringAllowed: false, unit: "seconds COMMAND may run on an instance, at most 172800 (48 hours, AWS's limit)")
    public static let deployLimit = Field(key: "DEPLOY_LIMIT", range: 0...10_000, zeroAllowed: true, integer: true,
                                          stringAllowed: false, unit: "job instances that may run at once, at most 10000")
    public static let maxCost = Field(key: "MAXCOST", range: 0...1_000_000, zeroAllowed: true, integer: false,
                                      stringAllowed: true, unit: "dollars a group may spend, at most 1000000")

    public static let fields = [executionTimeout, ssmTimeout, deployLimit, maxCost]

    /// The number `value` holds when it is one `field` allows; otherwise the sentence (after the
    /// field's path) saying what is wrong.
    public static func check(_ value: JSONValue, _ field: Field) -> Result<Double, Problem> {
        var number: Double?
        switch value {
        case .number(let literal): number = Double(literal)
        case .string(let text) where field.stringAllowed: number = Double(text)
        default: break
        }
        let shown: String
        switch value {
        case .number(let literal): shown = literal
        case .string(let text): shown = "the string \"\(text)\""
        default: shown = value.typeDescription
        }
        guard let number, !number.isNaN else {
            return .failure(Problem("must be a number (\(field.unit))\(field.stringAllowed ? " or a string holding one" : ""), not \(shown)."))
        }
        let lower = field.zeroAllowed ? "zero or more" : "greater than zero"
        guard field.range.contains(number), field.zeroAllowed || number > 0 else {
            return .failure(Problem("is \(shown); it must be \(lower) and at most \(Self.text(field.range.upperBound)) (\(field.unit))."))
        }
        if field.integer, number.rounded() != number {
            return .failure(Problem("is \(shown); it must be a whole number (\(field.unit))."))
        }
        return .success(number)
    }

    /// A bound as written in messages: `43200`, not `43200.0`.
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// What is wrong with a value, as the end of a sentence that starts with its path.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}

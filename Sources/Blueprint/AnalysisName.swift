/// An analysis name: also the S3 bucket and the CloudFormation stack name, so it obeys both.
public enum AnalysisName {
    /// Checks `name`; returns nil when it is valid, else the sentence saying which rule it breaks.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "The name is empty: use 3 to 63 lowercase letters, digits and dashes." }
        let count = name.utf8.count
        if count < 3 { return "The name '\(name)' is too short: it needs 3 to 63 characters (it is also an S3 bucket name)." }
        if count > 63 { return "The name '\(name.prefix(20))…' is too long: it needs 3 to 63 characters, it has \(count) (it is also an S3 bucket name)." }
        if let bad = name.unicodeScalars.first(where: { !(("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-") }) {
            return "The name '\(name)' contains '\(bad)': only lowercase letters, digits and dashes are allowed (it is also an S3 bucket and stack name)."
        }
        if name.hasPrefix("-") || name.hasSuffix("-") {
            return "The name '\(name)' starts or ends with a dash: it must begin and end with a letter or digit."
        }
        return nil
    }
}

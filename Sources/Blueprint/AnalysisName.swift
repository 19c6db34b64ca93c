/// An analysis name (PipelineName): the CloudFormation stack name, the prefix of every name
/// ncaas derives (queues, policies, images) and, unless `ncaas.bucket` names another, the S3
/// bucket. So it obeys the stricter of the rules: 3 to 63 lowercase letters, digits and
/// dashes, starting with a letter (stack names must) and ending with a letter or digit.
public enum AnalysisName {
    /// Checks `name`; returns nil when it is valid, else the sentence saying which rule it breaks.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "The name is empty: use 3 to 63 lowercase letters, digits and dashes, starting with a letter." }
        let count = name.utf8.count
        if count < 3 { return "The name '\(name)' is too short: it needs 3 to 63 characters (it is also an S3 bucket name)." }
        if count > 63 { return "The name '\(name.prefix(20))…' is too long: it needs 3 to 63 characters, it has \(count) (it is also an S3 bucket name)." }
        if let bad = name.unicodeScalars.first(where: { !(("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-") }) {
            return "The name '\(name)' contains '\(bad)': only lowercase letters, digits and dashes are allowed (it is also an S3 bucket and stack name)."
        }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) {
            return "The name '\(name)' starts with a digit: CloudFormation stack names must start with a letter (name the analysis e.g. 'a\(name)'; the bucket may keep the digit through ncaas.bucket)."
        }
        if name.hasPrefix("-") || name.hasSuffix("-") {
            return "The name '\(name)' starts or ends with a dash: it must begin and end with a letter or digit."
        }
        return nil
    }
}

/// An S3 bucket name (`ncaas.bucket`), by S3's rules for general purpose buckets.
public enum BucketName {
    /// Nil when `name` is a valid bucket name, else the sentence naming the rule it breaks.
    public static func problem(with name: String) -> String? {
        let count = name.utf8.count
        if count < 3 || count > 63 {
            return "The bucket name '\(name.prefix(20))\(count > 20 ? "…" : "")' has \(count) characters: S3 bucket names have 3 to 63."
        }
        if let bad = name.unicodeScalars.first(where: { !(("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == ".") }) {
            return "The bucket name '\(name)' contains '\(bad)': S3 bucket names use only lowercase letters, digits, dots and dashes."
        }
        let edges = [name.unicodeScalars.first, name.unicodeScalars.last].compactMap { $0 }
        if edges.contains(where: { $0 == "-" || $0 == "." }) {
            return "The bucket name '\(name)' starts or ends with a dot or dash: S3 bucket names begin and end with a letter or digit."
        }
        if name.contains("..") { return "The bucket name '\(name)' has two dots in a row, which S3 does not allow." }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) {
            return "The bucket name '\(name)' looks like an IP address, which S3 does not allow."
        }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            return "The bucket name '\(name)' starts with '\(prefix)', which S3 reserves."
        }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) {
            return "The bucket name '\(name)' ends with '\(suffix)', which S3 reserves."
        }
        return nil
    }
}

import LosslessJSON
import Support

/// Every setting ncaas reads under the blueprint's top-level `ncaas` key, as a schema: the validator
/// checks the section against it (an unknown key is an error naming the nearest known one), and the
/// docs list it. One place, so a setting a module reads is a setting the validator knows.
public enum NCAASSettings {
    /// What a setting's value must be.
    public indirect enum Kind: Sendable {
        case string
        case boolean
        /// One of these strings.
        case choice([String])
        /// A user name on the instance (`ubuntu`, `root`): letters, digits, `_` and `-`.
        case userName
        /// A subnet id (`subnet-` and 8 or 17 hexadecimal digits).
        case subnetID
        /// A whole number of seconds in this range.
        case seconds(ClosedRange<Int>)
        /// An object holding these settings.
        case object([Setting])
    }

    /// One setting: its key, its kind and what it does (for messages and docs).
    public struct Setting: Sendable {
        public var key: String
        public var kind: Kind
        public var summary: String

        public init(_ key: String, _ kind: Kind, _ summary: String) {
            self.key = key
            self.kind = kind
            self.summary = summary
        }
    }

    /// Values of `ncaas.jobs.market` (spot instances; read by the job manager where it supports them).
    public static let markets = ["on-demand", "spot", "spot-then-on-demand"]

    /// The `ncaas` section's settings.
    public static let schema: [Setting] = [
        Setting("bucket", .string, "the S3 bucket when it is not the PipelineName"),
        Setting("image", .object([
            Setting("base", .string, "the AMI id or alias `ncaas image build` starts from"),
        ]), "image builds"),
        Setting("ssh", .object([
            Setting("user", .userName, "the user ncaas logs in as, when it is not the image's default user"),
        ]), "how ncaas reaches instances"),
        Setting("jobs", .object([
            Setting("staging", .choice(["sftp", "direct"]), "how a dataset reaches COMMAND: copied in over SFTP, or read from S3 by COMMAND itself"),
            Setting("user", .userName, "who runs COMMAND on a job instance (default root, as NeuroCAAS's SSM does)"),
            Setting("hooks", .object([
                Setting("on_start", .string, "a local command run when a job starts"),
                Setting("on_success", .string, "a local command run when every dataset succeeded"),
                Setting("on_failure", .string, "a local command run when a dataset failed"),
            ]), "local commands run on the machine running the job"),
            Setting("market", .choice(markets), "on-demand or spot job instances"),
        ]), "jobs"),
        Setting("deploy", .object([
            Setting("sshIngressCidr", .string, "the addresses (CIDR) that may reach job instances over SSH"),
        ]), "the stack"),
        Setting("manager", .object([
            Setting("enabled", .boolean, "whether the deploy adds the job manager instance to the stack"),
            Setting("instance_type", .string, "the job manager instance's type"),
            Setting("visibility_timeout", .seconds(3...43_200), "seconds after which a job whose manager stopped renewing its lease is taken over (default 60)"),
        ]), "the in-stack job manager"),
        Setting("network", .object([
            Setting("subnet", .subnetID, "the subnet (and so the VPC) instances and security groups go in"),
        ]), "networking"),
    ]

    /// Every setting's dotted path under `ncaas` (`jobs.staging`), objects included.
    public static var paths: [String] { paths(schema, prefix: "") }

    private static func paths(_ settings: [Setting], prefix: String) -> [String] {
        settings.flatMap { setting -> [String] in
            let path = prefix.isEmpty ? setting.key : prefix + "." + setting.key
            if case .object(let children) = setting.kind { return [path] + paths(children, prefix: path) }
            return [path]
        }
    }

    /// One problem in the section, as (path below the blueprint's root, sentence).
    public struct Problem: Sendable, Equatable {
        public var path: JSONPath
        public var message: String
    }

    /// The problems of the `ncaas` section `value` (every one, in document order).
    public static func problems(in value: JSONValue) -> [Problem] {
        var found: [Problem] = []
        check(value, against: schema, at: [.key(Blueprint.ncaasKey)], into: &found)
        return found
    }

    /// `subnet-` and 8 or 17 lower-case hexadecimal digits, as EC2 spells subnet ids.
    public static func isSubnetID(_ value: String) -> Bool {
        let digits = value.dropFirst("subnet-".count)
        return value.hasPrefix("subnet-") && [8, 17].contains(digits.count) && digits.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    private static func check(_ value: JSONValue, against settings: [Setting], at path: JSONPath, into found: inout [Problem]) {
        guard case .object(let members) = value else {
            found.append(Problem(path: path, message: "must be an object, not \(value.typeDescription)."))
            return
        }
        for (key, child) in members {
            let childPath = path.appending(key)
            guard let setting = settings.first(where: { $0.key == key }) else {
                found.append(Problem(path: childPath, message: unknownKeyMessage(key, at: path, siblings: settings)))
                continue
            }
            switch setting.kind {
            case .object(let children):
                check(child, against: children, at: childPath, into: &found)
            case .string:
                if child.stringValue == nil { found.append(Problem(path: childPath, message: "must be a string (\(setting.summary)), not \(child.typeDescription).")) }
            case .boolean:
                if child.boolValue == nil { found.append(Problem(path: childPath, message: "must be true or false (\(setting.summary)), not \(child.typeDescription).")) }
            case .choice(let choices):
                if !(child.stringValue.map(choices.contains) ?? false) {
                    let shown = child.stringValue.map { "\"\($0)\"" } ?? child.typeDescription
                    found.append(Problem(path: childPath, message: "is \(shown); it must be \(choices.map { "\"\($0)\"" }.joined(separator: " or ")) (\(setting.summary))."))
                }
            case .seconds(let range):
                if !(child.doubleValue.map { $0.rounded() == $0 && Double(range.lowerBound) <= $0 && $0 <= Double(range.upperBound) } ?? false) {
                    found.append(Problem(path: childPath, message: "must be a whole number of seconds from \(range.lowerBound) to \(range.upperBound) (\(setting.summary))."))
                }
            case .subnetID:
                if !(child.stringValue.map(isSubnetID) ?? false) {
                    let shown = child.stringValue.map { "\"\($0)\"" } ?? child.typeDescription
                    found.append(Problem(path: childPath, message: "is \(shown); it must be a subnet id such as \"subnet-0123456789abcdef0\" (\(setting.summary))."))
                }
            case .userName:
                if !(child.stringValue.map(isUserName) ?? false) {
                    let shown = child.stringValue.map { "\"\($0)\"" } ?? child.typeDescription
                    found.append(Problem(path: childPath, message: "is \(shown); it must be a user name such as \"root\" or \"ubuntu\" (lower-case letters, digits, _ and -, starting with a letter or _; \(setting.summary))."))
                }
            }
        }
    }

    /// A user name as Debian's `adduser` accepts it: it reaches the instance's shell only as data, but
    /// anything else is a mistake worth saying before a job launches.
    public static func isUserName(_ text: String) -> Bool {
        guard let first = text.first, first == "_" || ("a"..."z").contains(first), text.count <= 32 else { return false }
        return text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// "is not a setting ncaas knows; did you mean ncaas.jobs.staging?": the nearest key among the
    /// section's siblings first, else among every setting's path.
    private static func unknownKeyMessage(_ key: String, at path: JSONPath, siblings: [Setting]) -> String {
        let parent = path.description
        let knownHere = siblings.map(\.key)
        if let near = NearestName.closest(to: key, among: knownHere) {
            return "is not a setting ncaas knows; did you mean \(parent).\(near)? (\(parent) holds \(knownHere.joined(separator: ", ")))"
        }
        let everywhere = paths
        let lastComponents = everywhere.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        if let near = NearestName.closest(to: key, among: lastComponents), let index = lastComponents.firstIndex(of: near) {
            return "is not a setting ncaas knows; did you mean \(Blueprint.ncaasKey).\(everywhere[index])? (\(parent) holds \(knownHere.joined(separator: ", ")))"
        }
        return "is not a setting ncaas knows (\(parent) holds \(knownHere.joined(separator: ", "))); see docs/neurocaas.md for every ncaas setting."
    }
}

import LosslessJSON

/// Checks a blueprint against NeuroCAAS's rules and ncaas's own, reporting every problem at once.
public struct BlueprintValidator {
    private let document: JSONDocument
    private var findings: [BlueprintFinding] = []

    private init(document: JSONDocument) { self.document = document }

    /// All findings for `document`, errors and warnings, in document order of the rules.
    public static func validate(_ document: JSONDocument) -> [BlueprintFinding] {
        var validator = BlueprintValidator(document: document)
        validator.run()
        return validator.findings
    }

    private static let lambdaConfig = Blueprint.lambdaConfigPath

    private mutating func run() {
        guard case .object = document.value else {
            report(.error, [], "The blueprint must be a JSON object, but it is \(document.value.typeDescription).")
            return
        }
        checkPipelineName()
        let region = checkRegion([.key("REGION")], required: true)
        checkStage()
        checkLambdaConfig(topRegion: region)
        checkAffiliates()
        if let own = document.value(at: [.key(Blueprint.ncaasKey)]) {
            if case .object = own {
                // ncaas.bucket's own rules are checked with the PipelineName.
                for problem in NCAASSettings.problems(in: own) where problem.path != Blueprint.bucketPath {
                    report(.error, problem.path, problem.message)
                }
            } else {
                report(.error, [.key(Blueprint.ncaasKey)], "must be an object: it holds ncaas's own settings.")
            }
        }
        for unused in UnusedNeuroCAASKeys.present(in: document) { report(.note, unused.path, unused.note) }
    }

    // MARK: top level

    private mutating func checkPipelineName() {
        let path: JSONPath = [.key("PipelineName")]
        guard let name = requireString(path, purpose: "the analysis name, also its bucket and stack name") else { return }
        if let problem = AnalysisName.problem(with: name) { report(.error, path, problem) }
        guard let bucket = document.value(at: Blueprint.bucketPath) else { return }
        guard let bucketName = bucket.stringValue else {
            report(.error, Blueprint.bucketPath, "must be a string: the S3 bucket name, when it is not the PipelineName.")
            return
        }
        if let problem = BucketName.problem(with: bucketName) { report(.error, Blueprint.bucketPath, problem) }
    }

    private mutating func checkRegion(_ path: JSONPath, required: Bool) -> String? {
        guard let value = document.value(at: path) else {
            if required { report(.error, path, "is missing: name the AWS region, for example \"us-east-1\".") }
            return nil
        }
        guard let region = value.stringValue else {
            report(.error, path, "must be a string such as \"us-east-1\", not \(value.typeDescription).")
            return nil
        }
        if !Self.isRegionName(region) {
            report(.error, path, "\"\(region)\" is not a region name: write it like \"us-east-1\" or \"eu-west-2\".")
        }
        return region
    }

    static func isRegionName(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, last.allSatisfy(\.isNumber), !last.isEmpty else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } }
    }

    private mutating func checkStage() {
        let path: JSONPath = [.key("STAGE")]
        guard let value = document.value(at: path) else {
            report(.warning, path, "is missing; ncaas uses \"\(LambdaConfigDefaults.defaultStage)\" (add \"STAGE\": \"develop\" to say so).")
            return
        }
        guard let stage = value.stringValue, LambdaConfigDefaults.stages.contains(stage) else {
            let shown = value.stringValue.map { "\"\($0)\"" } ?? value.typeDescription
            report(.error, path, "is \(shown); it must be one of \(LambdaConfigDefaults.stages.map { "\"\($0)\"" }.joined(separator: ", ")).")
            return
        }
    }

    // MARK: Lambda.LambdaConfig

    private mutating func checkLambdaConfig(topRegion: String?) {
        guard requireObject([.key("Lambda")]), requireObject(Self.lambdaConfig) else { return }
        let config = Self.lambdaConfig

        if let ami = requireString(config.appending("AMI"), purpose: "the machine image jobs run on") {
            if !MachineImage.isValidReference(ami) {
                report(.error, config.appending("AMI"), "\"\(ami)\" is neither an AMI id (ami- followed by 8 or 17 hex digits) nor a known alias (\(MachineImage.aliases.joined(separator: ", "))).")
            }
        }
        if let type = requireString(config.appending("INSTANCE_TYPE"), purpose: "the EC2 instance type, like \"m5.xlarge\"") {
            if !Self.isInstanceType(type) {
                report(.error, config.appending("INSTANCE_TYPE"), type.isEmpty
                    ? "is empty: name an EC2 instance type such as \"m5.xlarge\"."
                    : "\"\(type)\" is not an instance type: write family.size, such as \"m5.xlarge\" or \"p3.2xlarge\".")
            }
        }
        if let lambdaRegion = checkRegion(config.appending("REGION"), required: false), let topRegion, lambdaRegion != topRegion {
            report(.warning, config.appending("REGION"), "\"\(lambdaRegion)\" differs from the top-level REGION \"\(topRegion)\"; jobs run in the LambdaConfig region.")
        }
        if let command = requireString(config.appending("COMMAND"), purpose: "the shell command that runs the analysis") {
            checkCommand(command, path: config.appending("COMMAND"))
        }
        for key in ["WORKING_DIRECTORY", "CONFIG", "IAM_ROLE", "KEY_NAME"] {
            if let value = document.value(at: config.appending(key)), value.stringValue == nil {
                report(.error, config.appending(key), "must be a string, not \(value.typeDescription).")
            }
        }
        if let value = document.value(at: config.appending("SHUTDOWN_BEHAVIOR")) {
            if value.stringValue != "terminate" && value.stringValue != "stop" {
                report(.error, config.appending("SHUTDOWN_BEHAVIOR"), "must be \"terminate\" or \"stop\".")
            }
        }
        for field in LambdaConfigNumbers.fields {
            let path = config.appending(field.key)
            guard let value = document.value(at: path) else { continue }
            if case .failure(let problem) = LambdaConfigNumbers.check(value, field) { report(.error, path, problem.message) }
        }
        if let monitor = document.value(at: config.appending("MONITOR")), monitor.boolValue == nil {
            report(.error, config.appending("MONITOR"), "must be true or false, not \(monitor.typeDescription).")
        }
    }

    static func isInstanceType(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let family = parts.first, let size = parts.last, !family.isEmpty, !size.isEmpty else { return false }
        let allowed: (Character) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return family.first.map { ("a"..."z").contains($0) } == true && family.allSatisfy(allowed) && size.allSatisfy(allowed)
    }

    private mutating func checkCommand(_ command: String, path: JSONPath) {
        guard let fields = CommandTemplate.fields(in: command) else {
            report(.error, path, "has unbalanced braces: write literal braces as {{ and }}, and use exactly four {} placeholders.")
            return
        }
        let named = fields.filter { !$0.name.isEmpty }
        if !named.isEmpty {
            let shown = named.map { "{\($0.name)}" }.joined(separator: ", ")
            report(.error, path, "has the named placeholder \(shown); use exactly four empty {} placeholders (bucket, dataset key, result folder, config key).")
        } else if fields.count != CommandTemplate.requiredPlaceholders {
            report(.error, path, "has \(fields.count) {} placeholder\(fields.count == 1 ? "" : "s"); it needs exactly four: bucket, dataset key, result folder, config key.")
        }
    }

    // MARK: UXData.Affiliates

    private mutating func checkAffiliates() {
        let path: JSONPath = [.key("UXData"), .key("Affiliates")]
        guard let uxData = document.value(at: [.key("UXData")]) else {
            report(.warning, [.key("UXData")], "is missing: with no affiliates, nobody but you can submit jobs.")
            return
        }
        guard case .object = uxData else {
            report(.error, [.key("UXData")], "must be an object holding \"Affiliates\", not \(uxData.typeDescription).")
            return
        }
        guard let value = document.value(at: path) else {
            report(.warning, path, "is missing: with no affiliates, nobody but you can submit jobs.")
            return
        }
        guard case .array(let items) = value else {
            report(.error, path, "must be an array of affiliates, not \(value.typeDescription).")
            return
        }
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(.index(index))
            guard case .object = item else {
                report(.error, itemPath, "must be an object with AffiliateName, UserNames and UserInput, not \(item.typeDescription).")
                continue
            }
            if let name = requireString(itemPath.appending("AffiliateName"), purpose: "the group's name, also its folder in the bucket") {
                if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
                    report(.error, itemPath.appending("AffiliateName"), "\"\(name)\" must be non-empty and use only letters, digits, '.', '_' and '-' (it is a folder in the bucket and an IAM group name).")
                } else if !seen.insert(name).inserted {
                    report(.error, itemPath.appending("AffiliateName"), "\"\(name)\" appears twice; each affiliate needs its own name.")
                }
            }
            if let users = item["UserNames"] {
                if case .array(let names) = users {
                    for (i, name) in names.enumerated() where name.stringValue?.isEmpty != false {
                        report(.error, itemPath.appending("UserNames").appending(.index(i)), "must be a non-empty IAM user name.")
                    }
                } else {
                    report(.error, itemPath.appending("UserNames"), "must be an array of IAM user names, not \(users.typeDescription).")
                }
            }
            if let input = item["UserInput"], input.boolValue == nil {
                let shown = input.stringValue.map { "the string \"\($0)\"" } ?? input.typeDescription
                report(.error, itemPath.appending("UserInput"), "must be true or false, not \(shown).")
            }
            if let email = item["ContactEmail"], email.stringValue == nil {
                report(.error, itemPath.appending("ContactEmail"), "must be a string, not \(email.typeDescription).")
            }
        }
    }

    // MARK: helpers

    private mutating func requireObject(_ path: JSONPath) -> Bool {
        guard let value = document.value(at: path) else {
            report(.error, path, "is missing: it must be an object.")
            return false
        }
        guard case .object = value else {
            report(.error, path, "must be an object, not \(value.typeDescription).")
            return false
        }
        return true
    }

    private mutating func requireString(_ path: JSONPath, purpose: String) -> String? {
        guard let value = document.value(at: path) else {
            report(.error, path, "is missing: it names \(purpose).")
            return nil
        }
        guard let text = value.stringValue else {
            report(.error, path, "must be a string (\(purpose)), not \(value.typeDescription).")
            return nil
        }
        return text
    }

    private mutating func report(_ severity: BlueprintFinding.Severity, _ path: JSONPath, _ message: String) {
        let location = document.location(of: path)
        findings.append(BlueprintFinding(severity: severity, path: path.description, message: message, line: location?.line, column: location?.column))
    }
}

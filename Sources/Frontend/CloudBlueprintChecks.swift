import AWS
import Blueprint
import Deploy
import DevAMI
import LosslessJSON
import Support

/// `ncaas blueprint validate --cloud`: what only the account can tell, as findings beside the
/// blueprint's own: the AMI exists and is available in the region jobs run in (DescribeImages; an
/// alias resolves), and every affiliate user exists (or under NeuroCAAS's `<user><REGION>` name).
public enum CloudBlueprintChecks {
    /// The findings for `document` (already free of errors of its own) on the endpoint `overrides`
    /// resolve to, with the blueprint's REGION as the last resort.
    public static func findings(_ document: JSONDocument, overrides: ConfigurationOverrides) throws -> [BlueprintFinding] {
        let blueprint = Blueprint(document: document)
        guard let analysis = blueprint.pipelineName else { return [] }
        let client = try DeployAnalysis.client(overrides: overrides, transport: CurlTransport(), blueprint: blueprint)
        var found: [BlueprintFinding] = []
        func finding(_ severity: BlueprintFinding.Severity, _ path: JSONPath, _ message: String) {
            let location = document.location(of: path)
            found.append(BlueprintFinding(severity: severity, path: path.description, message: message, line: location?.line, column: location?.column))
        }
        if let ami = blueprint.ami, let problem = ImageCheck.problem(ami, analysis: analysis, ec2: client.ec2) {
            finding(.error, Blueprint.lambdaConfigPath.appending("AMI"), problem)
        }
        let regions = [blueprint.region, client.region].compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let users = try AffiliateUsers.resolve(blueprint.affiliates, regions: regions, iam: client.iam)
        for (index, affiliate) in blueprint.affiliates.enumerated() {
            for (position, user) in affiliate.userNames.enumerated() {
                let path: JSONPath = [.key("UXData"), .key("Affiliates"), .index(index), .key("UserNames"), .index(position)]
                if users.missing.contains(where: { $0.affiliate == affiliate.name && $0.users.contains(user) }) {
                    finding(.error, path, "the IAM user '\(user)' does not exist in this account: create it with "
                            + "`ncaas affiliates add \(AnalysisHint.name(analysis)) \(affiliate.name) \(ShellQuoting.quoteIfNeeded(user))`, or remove it.")
                } else if let renamed = users.renamed[user] {
                    finding(.note, path, "is the IAM user '\(renamed)' in this account (NeuroCAAS's <user><REGION> naming); the deploy uses that name.")
                }
            }
        }
        return found
    }
}

import AWS
import Deploy
import DevAMI
import Foundation

/// What a direct-mode job's instances get so that COMMAND can read S3 itself (NeuroCAAS's way).
///
/// On AWS: the job instance profile the deploy made (the stack's `InstanceProfileName` output) is
/// given to the launch, and COMMAND's AWS tools find its credentials in the instance metadata.
/// The local cloud's containers have no metadata service, so ncaas stands in for it: it makes a
/// short-lived IAM user holding exactly the profile role's inline policies, under the path
/// `/ncaas/job/`, and hands that user's key, the region and the endpoint to COMMAND in its
/// environment. `revoke()` deletes the key, the policies and the user when the job ends (on every
/// ending, Ctrl-C included); `ncaas gc` deletes any a killed manager left.
public final class DirectAccess: @unchecked Sendable {
    /// The IAM path of the local stand-in users.
    public static let userPath = "/ncaas/job/"

    public let instanceProfileName: String
    /// Exported into COMMAND's environment (names and unquoted values); empty on AWS.
    public let environment: [(name: String, value: String)]
    private let iam: IAMClient
    private let user: (name: String, policies: [String], keyId: String)?

    private init(instanceProfileName: String, environment: [(name: String, value: String)], iam: IAMClient,
                 user: (name: String, policies: [String], keyId: String)?) {
        self.instanceProfileName = instanceProfileName
        self.environment = environment
        self.iam = iam
        self.user = user
    }

    /// The access for a job of `analysis` on `cloud` that may last `lifetime` seconds (the local
    /// stand-in is tagged `ncaas:analysis` and `ncaas:expiry`, for `ncaas gc`); throws one sentence
    /// when the analysis has no instance profile (not deployed, or deployed before it had one).
    public static func grant(analysis: String, cloud: DevCloud, lifetime: TimeInterval) throws -> DirectAccess {
        let client = cloud.ec2.client
        let stackName = StackNaming(analysis: analysis).stackName
        guard let stack = try client.cloudFormation.describeStack(stackName) else {
            throw JobError(.notFound, "\(analysis) is not deployed (there is no stack \(stackName)), and direct staging needs its job instance profile; run `ncaas deploy \(analysis)`.")
        }
        // moto gives stacks made by change sets no outputs; the resource is the same answer.
        let profile = try stack.output(StackTemplate.Output.instanceProfile)
            ?? client.cloudFormation.describeStackResources(stackName).first { $0.logicalResourceId == StackTemplate.Resource.instanceProfile }?.physicalResourceId
        guard let profile, !profile.isEmpty else {
            throw JobError(.notFound, "The stack \(stackName) has no job instance profile, which direct staging needs; run `ncaas deploy \(analysis)` again.")
        }
        guard cloud.isLocal else { return DirectAccess(instanceProfileName: profile, environment: [], iam: client.iam, user: nil) }

        let iam = client.iam
        guard let role = try iam.instanceProfileRoles(profile).first else {
            throw JobError(.notFound, "The instance profile \(profile) of \(analysis) holds no role; run `ncaas deploy \(analysis)` again.")
        }
        let policies = try iam.listRolePolicies(roleName: role.name).map { try iam.getRolePolicy(roleName: role.name, policyName: $0) }
        if let broken = policies.first(where: { (try? JSONSerialization.jsonObject(with: Data($0.document.utf8))) == nil }) {
            throw JobError(.failed, "The policy \(broken.policyName) of role \(role.name) is not JSON; run `ncaas deploy \(analysis)` again, which puts it back.")
        }
        let name = userName()
        _ = try iam.createUser(userName: name, path: userPath, tags: [
            Tag(key: InstanceTags.analysis, value: analysis),
            Tag(key: InstanceTags.expiry, value: InstanceTags.format(cloud.now().addingTimeInterval(lifetime))),
        ])
        var made: [String] = []
        do {
            for policy in policies {
                try iam.putUserPolicy(userName: name, policyName: policy.policyName, document: policy.document)
                made.append(policy.policyName)
            }
            let key = try iam.createAccessKey(userName: name)
            let s3 = try client.endpointURL(for: .s3).base
            return DirectAccess(instanceProfileName: profile, environment: [
                ("AWS_ACCESS_KEY_ID", key.accessKeyId), ("AWS_SECRET_ACCESS_KEY", key.secretAccessKey),
                ("AWS_REGION", client.region), ("AWS_DEFAULT_REGION", client.region), ("AWS_ENDPOINT_URL", s3),
            ], iam: iam, user: (name, made, key.accessKeyId))
        } catch {
            deleteUser(name, policies: made, keyIds: [], iam: iam)
            throw error
        }
    }

    /// Ends the local stand-in's access (nothing to do on AWS). Best effort; safe to call twice.
    public func revoke() {
        guard let user else { return }
        Self.deleteUser(user.name, policies: user.policies, keyIds: [user.keyId], iam: iam)
    }

    /// `ncaas-job-` and 16 random hex digits: IAM user names are at most 64 characters, job names
    /// may be longer (the user's path says what it is for).
    static func userName() -> String {
        "ncaas-job-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// Deletes a stand-in user with its keys and policies (what `revoke()` does, for `ncaas gc`).
    public static func deleteUser(_ name: String, iam: IAMClient) { deleteUser(name, policies: [], keyIds: [], iam: iam) }

    static func deleteUser(_ name: String, policies: [String], keyIds: [String], iam: IAMClient) {
        let keys = keyIds.isEmpty ? ((try? iam.listAccessKeys(userName: name)) ?? []) : keyIds
        for key in keys { try? iam.deleteAccessKey(userName: name, accessKeyId: key) }
        let names = policies.isEmpty ? ((try? iam.listUserPolicies(userName: name)) ?? []) : policies
        for policy in names { try? iam.deleteUserPolicy(userName: name, policyName: policy) }
        try? iam.deleteUser(userName: name)
    }
}

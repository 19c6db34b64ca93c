import Support
import AWS
import Deploy
import DevAMI

/// The instance profile a direct-mode job's instances get, so that COMMAND reads and writes S3
/// itself with the role's credentials from the instance metadata (NeuroCAAS's way): the one the
/// deploy made, the stack's `InstanceProfileName` output. The same on AWS and on the local cloud,
/// whose instances have a metadata service of their own.
public enum JobInstanceProfile {
    /// The profile's name; throws one sentence when the analysis is not deployed or its stack has
    /// no profile (deployed before it had one).
    public static func find(analysis: String, cloud: DevCloud) throws -> String {
        let client = cloud.ec2.client
        let stackName = StackNaming(analysis: analysis).stackName
        guard let stack = try client.cloudFormation.describeStack(stackName) else {
            throw JobError(.notFound, "\(analysis) is not deployed (there is no stack \(stackName)), and direct staging needs its job instance profile; run `ncaas deploy \(AnalysisHint.name(analysis))`.")
        }
        // moto gives stacks made by change sets no outputs; the resource is the same answer.
        let profile = try stack.output(StackTemplate.Output.instanceProfile)
            ?? client.cloudFormation.describeStackResources(stackName).first { $0.logicalResourceId == StackTemplate.Resource.instanceProfile }?.physicalResourceId
        guard let profile, !profile.isEmpty else {
            throw JobError(.notFound, "The stack \(stackName) has no job instance profile, which direct staging needs; run `ncaas deploy \(AnalysisHint.name(analysis))` again.")
        }
        return profile
    }
}

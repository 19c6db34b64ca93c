/// The IAM permissions ncaas needs, by workflow: what `ncaas iam-policy` prints, what docs/aws.md
/// shows, and exactly what the local cloud's `local` user holds, so that every local run tests the
/// documented policy with the endpoint's IAM checks on.
public enum NCAASPolicy {
    /// A group of commands that needs its own permissions.
    public enum Workflow: String, CaseIterable, Sendable {
        case dev, image, fleet, deploy, jobs, affiliates, cost

        /// What the workflow covers, for `--help` and the docs.
        public var summary: String {
            switch self {
            case .dev: return "ncaas dev (launch, status, stop, start, create-image, terminate), ncaas gc"
            case .image: return "ncaas image build"
            case .fleet: return "ncaas fleet"
            case .deploy: return "ncaas deploy, ncaas teardown, ncaas data, ncaas blueprint validate --cloud"
            case .jobs: return "ncaas test-job, ncaas jobs, ncaas gc"
            case .affiliates: return "ncaas affiliates (add, remove, list)"
            case .cost: return "ncaas cost"
            }
        }
    }

    /// One statement: a Sid and its actions (on every resource; narrow `Resource` to your account's ARNs
    /// as your rules require).
    public struct Statement: Sendable, Equatable {
        public var sid: String
        public var actions: [String]
    }

    static let identity = Statement(sid: "Identity", actions: ["sts:GetCallerIdentity"])
    /// Launching, reaching and ending instances, with ncaas's key pair and security groups, and the
    /// public parameters that name the base images.
    static let instances = Statement(sid: "Instances", actions: [
        "ec2:RunInstances", "ec2:DescribeInstances", "ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances",
        "ec2:CreateTags", "ec2:DeleteTags", "ec2:GetConsoleOutput", "ec2:DescribeImages",
        "ec2:ImportKeyPair", "ec2:DescribeKeyPairs",
        "ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups", "ec2:AuthorizeSecurityGroupIngress",
        "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ssm:GetParameter",
    ])
    static let images = Statement(sid: "Images", actions: [
        "ec2:CreateImage", "ec2:DeregisterImage", "ec2:DescribeSnapshots", "ec2:DeleteSnapshot",
    ])
    static let stacks = Statement(sid: "Stacks", actions: [
        "cloudformation:ValidateTemplate", "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
        "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:CreateStack",
        "cloudformation:UpdateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStacks",
        "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources",
        // The AMI jobs need, checked by deploy and `blueprint validate --cloud`.
        "ec2:DescribeImages",
    ])
    static let stackResources = Statement(sid: "StackResources", actions: [
        "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "s3:PutBucketNotification", "s3:GetBucketNotification", "s3:PutEncryptionConfiguration",
        "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketOwnershipControls",
        "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes",
        "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
        "ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource",
        "iam:CreateGroup", "iam:DeleteGroup", "iam:GetGroup", "iam:AddUserToGroup", "iam:RemoveUserFromGroup",
        "iam:ListGroupsForUser", "iam:PutGroupPolicy", "iam:GetGroupPolicy", "iam:DeleteGroupPolicy",
        "iam:GetUser", "iam:PutUserPolicy", "iam:GetUserPolicy", "iam:DeleteUserPolicy", "iam:ListUserPolicies",
        "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
        "iam:ListRolePolicies", "iam:TagRole",
        "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
        "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:PassRole",
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:DescribeSecurityGroups", "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress", "ec2:CreateTags", "ec2:DescribeAvailabilityZones", "ec2:DescribeImages",
        "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate", "ec2:DescribeLaunchTemplates",
        "ec2:DescribeLaunchTemplateVersions", "ec2:RunInstances", "ssm:GetParameters", "ec2:DescribeSubnets",
        "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities", "autoscaling:CreateOrUpdateTags",
        "iam:CreateServiceLinkedRole",
    ])
    /// A job: its submission, data and results in the bucket, its queue, the deployed configuration,
    /// its instances (with the job role, passed to them for direct staging).
    static let jobs = Statement(sid: "Jobs", actions: [
        "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
        "sqs:SendMessage", "ssm:GetParameter", "cloudformation:DescribeStacks", "cloudformation:DescribeStackResources",
        "iam:GetInstanceProfile", "iam:PassRole", "ec2:DescribeSpotPriceHistory",
    ])

    /// What things cost: the jobs' status files in the bucket, what ncaas made (instances, images,
    /// snapshots), EC2's spot prices and AWS's Price List.
    static let costs = Statement(sid: "Costs", actions: [
        "s3:ListBucket", "s3:GetObject", "ec2:DescribeInstances", "ec2:DescribeImages", "ec2:DescribeSnapshots",
        "ec2:DescribeSpotPriceHistory", "pricing:GetProducts",
    ])

    /// An analysis's affiliate users: made, put in (and taken out of) the affiliate's group with its
    /// policy, given an access key, deleted when nothing else holds them.
    static let affiliateUsers = Statement(sid: "AffiliateUsers", actions: [
        "iam:CreateUser", "iam:TagUser", "iam:GetUser", "iam:DeleteUser", "iam:CreateAccessKey", "iam:ListAccessKeys", "iam:DeleteAccessKey",
        "iam:GetGroup", "iam:GetGroupPolicy", "iam:AddUserToGroup", "iam:RemoveUserFromGroup", "iam:ListGroupsForUser",
        "iam:PutUserPolicy", "iam:DeleteUserPolicy", "iam:ListUserPolicies", "iam:ListAttachedUserPolicies",
    ])

    /// The statements `workflows` need, without repeats.
    public static func statements(for workflows: [Workflow] = Workflow.allCases) -> [Statement] {
        var chosen: [Statement] = [identity]
        for workflow in workflows {
            switch workflow {
            case .dev, .image: chosen += [instances, images]
            case .fleet: chosen += [instances]
            case .deploy: chosen += [stacks, stackResources]
            case .jobs: chosen += [instances, jobs]
            case .affiliates: chosen += [affiliateUsers]
            case .cost: chosen += [costs]
            }
        }
        var seen = Set<String>()
        return chosen.filter { seen.insert($0.sid).inserted }
    }

    /// The policy document, formatted as docs/aws.md shows it: one statement per line group, actions
    /// wrapped, stable byte for byte.
    public static func document(for workflows: [Workflow] = Workflow.allCases) -> String {
        let statements = Self.statements(for: workflows)
        var lines = ["{", "  \"Version\": \"2012-10-17\",", "  \"Statement\": ["]
        for (index, statement) in statements.enumerated() {
            var body = "    {\"Sid\": \"\(statement.sid)\", \"Effect\": \"Allow\", \"Resource\": \"*\", \"Action\": ["
            var line = ""
            var wrapped: [String] = []
            for (position, action) in statement.actions.enumerated() {
                let word = "\"\(action)\"" + (position == statement.actions.count - 1 ? "" : ",")
                if line.count + word.count + 1 > 100 { wrapped.append(line); line = "" }
                line += (line.isEmpty ? "" : " ") + word
            }
            wrapped.append(line)
            body += "\n" + wrapped.map { "      " + $0 }.joined(separator: "\n") + "]}"
            lines.append(body + (index == statements.count - 1 ? "" : ","))
        }
        lines += ["  ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}

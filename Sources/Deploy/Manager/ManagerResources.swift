import Blueprint
import LosslessJSON

/// The job manager's part of the stack: its role (exactly what `jobs serve` needs, `managerAccess`),
/// instance profile and security group (nothing comes in), a launch template whose user-data runs
/// the manager (`ManagerUserData`), and a one-instance Auto Scaling group, so a manager that dies is
/// replaced. Its image is the Debian 12 AMI the public SSM parameter names, resolved by
/// CloudFormation at each deploy.
struct ManagerResources {
    let naming: StackNaming
    let settings: ManagerSettings
    let tags: [(String, String)]
    /// In the template's `Subnet` (and its security group in the `Vpc`); else the default VPC's zones.
    let inSubnet: Bool

    enum ID {
        static let role = "ManagerRole"
        static let profile = "ManagerInstanceProfile"
        static let securityGroup = "ManagerSecurityGroup"
        static let launchTemplate = "ManagerLaunchTemplate"
        static let group = "ManagerGroup"
    }

    static let imageParameter = "ManagerImageId"
    static let imageParameterDefault = "/aws/service/debian/release/12/latest/amd64"

    var parameter: (String, JSONValue) {
        (Self.imageParameter, TemplateJSON.object([
            ("Type", .string("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")),
            ("Description", .string("The job manager's image: Debian 12, as Debian's public parameter names it.")),
            ("Default", .string(Self.imageParameterDefault)),
        ]))
    }

    private func resource(_ type: String, _ properties: [(String, JSONValue)]) -> JSONValue {
        TemplateJSON.object([("Type", .string(type)), ("Properties", TemplateJSON.object(properties))])
    }

    var resources: [(String, JSONValue)] {
        let policies = PolicyDocuments(naming: naming, mode: .template)
        let instanceTags = tags + [("Name", "ncaas-\(naming.analysis)-manager"), ("ncaas:role", "manager")]
        return [
            (ID.role, resource("AWS::IAM::Role", [
                ("Description", .string("The job manager of \(naming.analysis): what ncaas jobs serve needs, nothing more.")),
                ("AssumeRolePolicyDocument", policies.instanceTrust),
                ("Policies", .array([TemplateJSON.object([("PolicyName", .string(naming.managerPolicyName)), ("PolicyDocument", policies.managerAccess)])])),
                ("Tags", TemplateJSON.tags(tags)),
            ])),
            (ID.profile, resource("AWS::IAM::InstanceProfile", [("Roles", .array([TemplateJSON.ref(ID.role)]))])),
            (ID.securityGroup, resource("AWS::EC2::SecurityGroup", [
                ("GroupDescription", .string("The job manager of \(naming.analysis): nothing comes in")),
            ] + (inSubnet ? [("VpcId", TemplateJSON.ref(StackTemplate.vpcParameter))] : []) + [
                ("Tags", TemplateJSON.tags(tags)),
            ])),
            (ID.launchTemplate, resource("AWS::EC2::LaunchTemplate", [
                ("LaunchTemplateData", TemplateJSON.object([
                    ("ImageId", TemplateJSON.ref(Self.imageParameter)),
                    ("InstanceType", .string(settings.instanceType)),
                    ("IamInstanceProfile", TemplateJSON.object([("Arn", TemplateJSON.getAtt(ID.profile, "Arn"))])),
                    ("SecurityGroupIds", .array([TemplateJSON.getAtt(ID.securityGroup, "GroupId")])),
                    ("MetadataOptions", TemplateJSON.object([("HttpTokens", .string("required"))])),
                    ("UserData", TemplateJSON.object([("Fn::Base64", .string(ManagerUserData.script(bucket: naming.bucketName, analysis: naming.analysis, visibilityTimeout: settings.visibilityTimeout)))])),
                    ("TagSpecifications", .array([TemplateJSON.object([
                        ("ResourceType", .string("instance")), ("Tags", TemplateJSON.tags(instanceTags)),
                    ])])),
                ])),
            ])),
            (ID.group, resource("AWS::AutoScaling::AutoScalingGroup", [
                ("MinSize", .string("1")), ("MaxSize", .string("1")), ("DesiredCapacity", .string("1")),
                inSubnet ? ("VPCZoneIdentifier", .array([TemplateJSON.ref(StackTemplate.subnetParameter)]))
                    : ("AvailabilityZones", TemplateJSON.object([("Fn::GetAZs", .string(""))])),
                ("LaunchTemplate", TemplateJSON.object([
                    ("LaunchTemplateId", TemplateJSON.ref(ID.launchTemplate)),
                    ("Version", TemplateJSON.getAtt(ID.launchTemplate, "LatestVersionNumber")),
                ])),
                ("Tags", .array(tags.map { TemplateJSON.object([("Key", .string($0.0)), ("Value", .string($0.1)), ("PropagateAtLaunch", .bool(true))]) })),
            ])),
        ]
    }

    /// The job instances' SSH rule: from the manager's group only.
    var jobIngress: JSONValue {
        TemplateJSON.object([
            ("IpProtocol", .string("tcp")), ("FromPort", TemplateJSON.number(22)), ("ToPort", TemplateJSON.number(22)),
            ("SourceSecurityGroupId", TemplateJSON.getAtt(ID.securityGroup, "GroupId")),
            ("Description", .string("SSH from the job manager")),
        ])
    }

    var outputs: [(String, JSONValue)] {
        [
            (StackTemplate.Output.managerGroup, TemplateJSON.object([
                ("Description", .string("The job manager's Auto Scaling group")), ("Value", TemplateJSON.ref(ID.group)),
            ])),
        ]
    }
}

import AWS
import Blueprint

/// Turns what a blueprint or a user names as a machine image (an AMI id or a base alias) into an
/// AMI id on the endpoint in use, the same way on AWS and on the local cloud: an alias is the
/// public SSM parameter its publisher keeps pointing at the current image (Canonical, Debian),
/// else the newest public image of its publisher and name, deprecated images included (so that
/// an alias still resolves after its release's end of standard support).
public enum ImageReference {
    struct Source {
        var parameter: String?
        var owner: String
        var name: String
    }

    static let aliases: [String: Source] = [
        "ubuntu18": Source(parameter: "/aws/service/canonical/ubuntu/server/18.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
                           owner: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-amd64-server-*"),
        "ubuntu16": Source(parameter: "/aws/service/canonical/ubuntu/server/16.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
                           owner: "099720109477", name: "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"),
        "dlami18": Source(parameter: nil, owner: "898082745236", name: "Deep Learning AMI (Ubuntu 18.04) Version *"),
        "debian12": Source(parameter: "/aws/service/debian/release/12/latest/amd64", owner: "136693071363", name: "debian-12-amd64-*"),
    ]

    /// The AMI id for `reference`.
    public static func resolve(_ reference: String, on ec2: EC2Client) throws -> String {
        if MachineImage.isAMIID(reference) { return reference }
        guard let source = aliases[reference] else {
            throw DevError(.badInput, "'\(reference)' is neither an AMI id (ami-…) nor an alias (\(MachineImage.aliases.joined(separator: ", "))).")
        }
        if let parameter = source.parameter,
           let value = try? ec2.client.ssm.parameter(named: parameter)?.value, MachineImage.isAMIID(value) {
            return value
        }
        let images = try ec2.describeImages(owners: [source.owner], filters: [
            EC2Filter(name: "name", values: [source.name]), EC2Filter(name: "state", values: ["available"]),
        ], includeDeprecated: true)
        guard let newest = images.max(by: { ($0.creationDate ?? "") < ($1.creationDate ?? "") }) else {
            throw DevError(.notFound, "No public image matches the alias \(reference) in this region (\(source.name) by \(source.owner)); give an AMI id with --ami.")
        }
        return newest.imageId
    }
}

import AWS
import Blueprint
import LocalCloud

/// Turns what a blueprint or a user names as a machine image (an AMI id or a base alias) into an
/// AMI id on the endpoint in use.
public enum ImageReference {
    /// Where each alias comes from on AWS: the newest available image of this owner and name.
    static let awsAliases: [String: (owner: String, name: String)] = [
        "ubuntu18": ("099720109477", "ubuntu/images/hvm-ssd/ubuntu-bionic-18.04-amd64-server-*"),
        "ubuntu16": ("099720109477", "ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"),
        "dlami18": ("amazon", "Deep Learning AMI (Ubuntu 18.04) Version *"),
        "debian12": ("136693071363", "debian-12-amd64-*"),
    ]

    /// The AMI id for `reference`. On the local cloud an alias is the AMI tagged with it by
    /// `ncaas local up`; on AWS it is the newest matching public image.
    public static func resolve(_ reference: String, on ec2: EC2Client, local: Bool) throws -> String {
        if MachineImage.isAMIID(reference) { return reference }
        guard MachineImage.aliases.contains(reference) else {
            throw DevError(.badInput, "'\(reference)' is neither an AMI id (ami-…) nor an alias (\(MachineImage.aliases.joined(separator: ", "))).")
        }
        if local {
            guard let id = try LocalBaseImages.resolve(reference, on: ec2) else {
                throw DevError(.notFound, "The local cloud has no image for the alias \(reference); run `ncaas local up` to register the base aliases.")
            }
            return id
        }
        let source = awsAliases[reference]!
        let images = try ec2.describeImages(owners: [source.owner], filters: [
            EC2Filter(name: "name", values: [source.name]), EC2Filter(name: "state", values: ["available"]),
        ])
        guard let newest = images.max(by: { ($0.creationDate ?? "") < ($1.creationDate ?? "") }) else {
            throw DevError(.notFound, "No public image matches the alias \(reference) in this region; give an AMI id with --ami.")
        }
        return newest.imageId
    }
}

import AWS

/// Tag keys and labels the local cloud writes, so its state can be rebuilt from the endpoint
/// and from podman.
public enum LocalCloudTags {
    /// On an AMI: the base alias it stands for (`ubuntu18`...).
    public static let alias = "ncaas:alias"
    /// On an AMI: the podman image that backs it.
    public static let podmanImage = "ncaas:podman-image"
    /// On an instance: the loopback port its sshd listens on.
    public static let sshPort = "ncaas:ssh-port"
    /// Container label: the instance id the container backs.
    public static let instanceLabel = "ncaas.instance"
    /// Container label: the EC2 endpoint the instance was launched on.
    public static let endpointLabel = "ncaas.endpoint"
    /// Container label: what the instance does when it shuts itself down ("stop", "terminate").
    public static let shutdownBehaviorLabel = "ncaas.shutdown-behavior"
    /// Container label: the AMI it was launched from.
    public static let imageLabel = "ncaas.ami"
    /// Podman repository of images ncaas created (`localhost/ncaas-ami:<ami id>`).
    public static let createdImageRepository = "localhost/ncaas-ami"

    /// The podman image that backs an AMI ncaas created.
    public static func createdImageReference(_ imageId: String) -> String { "\(createdImageRepository):\(imageId)" }
}

/// The base aliases on the local endpoint. Each is one of moto's built-in AMIs (their ids are
/// the same every time moto starts, so an id written into a blueprint stays valid across a
/// moto restart), tagged with the alias and backed by the base image. `ncaas local up`
/// (re)applies the tags.
public enum LocalBaseImages {
    /// Alias → moto built-in AMI id (picked by the nearest name in moto's catalogue).
    public static let aliases: [(alias: String, imageId: String)] = [
        ("ubuntu18", "ami-1e749f67"),  // moto: ubuntu/images/hvm-ssd/ubuntu-trusty-14.04
        ("ubuntu16", "ami-785db401"),  // moto: ubuntu/images/hvm-ssd/ubuntu-xenial-16.04
        ("dlami18", "ami-dca37ea5"),   // moto: Deep Learning AMI Ubuntu Linux
        ("debian12", "ami-760aaa0f"),  // moto: amzn-ami-hvm-2017.09
    ]

    /// Tags each alias's AMI with the alias and the base image. Idempotent.
    public static func register(on ec2: EC2Client) throws {
        let known = Set(try ec2.describeImages(imageIds: aliases.map(\.imageId)).map(\.imageId))
        for (alias, imageId) in aliases {
            guard known.contains(imageId) else {
                throw LocalCloudError(.failed, "moto does not know the AMI \(imageId) used for the alias \(alias) (were its default AMIs turned off with MOTO_EC2_LOAD_DEFAULT_AMIS?).")
            }
            try ec2.createTags(resourceIds: [imageId], tags: [
                Tag(key: LocalCloudTags.alias, value: alias),
                Tag(key: LocalCloudTags.podmanImage, value: BaseImageRecipe.reference),
            ])
        }
    }

    /// The AMI id an alias stands for on this endpoint, nil when `ncaas local up` has not tagged it
    /// there. Looked up by id (a tag filter makes moto scan its whole catalogue: about a second).
    public static func resolve(_ alias: String, on ec2: EC2Client) throws -> String? {
        guard let imageId = aliases.first(where: { $0.alias == alias })?.imageId else { return nil }
        let image = try ec2.describeImages(imageIds: [imageId]).first
        return image?.tags.contains(Tag(key: LocalCloudTags.alias, value: alias)) == true ? imageId : nil
    }
}

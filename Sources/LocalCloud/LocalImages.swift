/// Labels and names the local cloud's emulator gives its podman objects, so that what it started
/// can be found from podman alone (after the emulator is gone, for instance).
public enum LocalCloudTags {
    /// Container label: the instance id the container backs.
    public static let instanceLabel = "ncaas.instance"
    /// Container label: the EC2 endpoint the instance was launched on.
    public static let endpointLabel = "ncaas.endpoint"
    /// Podman repository of the images made by CreateImage (`localhost/ncaas-ami:<ami id>`).
    public static let createdImageRepository = "localhost/ncaas-ami"

    /// The podman image behind an AMI made on the local cloud.
    public static func createdImageReference(_ imageId: String) -> String { "\(createdImageRepository):\(imageId)" }
}

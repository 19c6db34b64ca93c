import AWS

/// The tags of an image ncaas makes and of its snapshots (which bill after the image is gone unless
/// deleted with it): the analysis, the instance it was made from, its name, and the login user the
/// instance had, so that instances launched from the image are reached as the same user.
public enum ImageTags {
    public static func specifications(analysis: String, name: String, source instance: Instance, extra: [Tag] = []) -> [TagSpecification] {
        var tags = [Tag(key: InstanceTags.analysis, value: analysis), Tag(key: InstanceTags.sourceInstance, value: instance.instanceId),
                    Tag(key: InstanceTags.name, value: name)]
        if let user = instance.tag(LoginUser.tag) { tags.append(Tag(key: LoginUser.tag, value: user)) }
        return [TagSpecification(resourceType: "image", tags: tags + extra), TagSpecification(resourceType: "snapshot", tags: tags)]
    }
}

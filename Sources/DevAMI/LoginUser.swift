import AWS

/// Who logs in to an instance: the default user its image's publisher documents (`ubuntu` on
/// Canonical's images, `admin` on Debian's, `ec2-user` on Amazon Linux's...), found the same way on
/// AWS and on the local cloud.
public enum LoginUser {
    /// On instances and images ncaas makes: the user it logs in as, so that an image made from an
    /// instance keeps it.
    public static let tag = "ncaas:login-user"

    /// The default user of `image`: its `ncaas:login-user` tag, else the publisher's convention by
    /// owner account or name, else `ubuntu` (every image NeuroCAAS blueprints use is Ubuntu's).
    public static func of(_ image: Image?) -> String {
        guard let image else { return fallback }
        if let tagged = image.tags.first(where: { $0.key == tag })?.value, !tagged.isEmpty { return tagged }
        if let user = byOwner[image.ownerId] { return user }
        let name = image.name.lowercased()
        for (fragment, user) in byName where name.contains(fragment) { return user }
        return fallback
    }

    static let fallback = "ubuntu"
    /// Publishers' accounts (commercial partition).
    static let byOwner: [String: String] = [
        "099720109477": "ubuntu",   // Canonical
        "136693071363": "admin",    // Debian
        "379101102735": "admin",    // Debian (older releases)
        "309956199498": "ec2-user", // Red Hat
    ]
    /// Name fragments, checked in order.
    static let byName: [(String, String)] = [
        ("ubuntu", "ubuntu"), ("debian", "admin"), ("amzn", "ec2-user"), ("al2023", "ec2-user"),
        ("amazon linux", "ec2-user"), ("rhel", "ec2-user"), ("centos", "centos"), ("fedora", "fedora"),
    ]
}

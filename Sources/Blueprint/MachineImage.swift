/// Machine image references: an AMI id or one of ncaas's base aliases.
public enum MachineImage {
    /// Aliases that resolve to the local base image on the local cloud and to real AMIs on AWS.
    public static let aliases: [String] = ["ubuntu18", "ubuntu16", "dlami18", "debian12"]

    /// True for `ami-` followed by 8 or 17 lowercase hex digits.
    public static func isAMIID(_ text: String) -> Bool {
        guard text.hasPrefix("ami-") else { return false }
        let hex = text.dropFirst(4)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// True for an AMI id or a known alias.
    public static func isValidReference(_ text: String) -> Bool {
        isAMIID(text) || aliases.contains(text)
    }
}

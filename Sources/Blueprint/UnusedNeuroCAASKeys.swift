import LosslessJSON

/// NeuroCAAS keys ncaas reads nothing from, each with what ncaas does instead: `blueprint validate`
/// shows them as notes where a blueprint has them, so an author moving in learns the difference
/// where they meet it. The keys stay in the file (NeuroCAAS's tools still read them).
public enum UnusedNeuroCAASKeys {
    /// A key, where it lives, and the sentence saying what ncaas does instead.
    public struct Entry: Sendable {
        public var path: JSONPath
        public var note: String
    }

    public static let entries: [Entry] = [
        Entry(path: Blueprint.lambdaConfigPath.appending("IAM_ROLE"),
              note: "ncaas does not use IAM_ROLE: COMMAND runs over SSH (not SSM), and job instances get the stack's own job instance profile with direct staging (`ncaas.jobs.staging`), none with SFTP staging."),
        Entry(path: Blueprint.lambdaConfigPath.appending("KEY_NAME"),
              note: "ncaas does not use KEY_NAME: it imports its own key pair (ncaas-<fingerprint>, the private key in ~/.ncaas/keys) and reaches every instance over SSH with it."),
        Entry(path: Blueprint.lambdaConfigPath.appending("SECURITY_GROUPS"),
              note: "ncaas does not use SECURITY_GROUPS: instances get ncaas-ssh (SSH from `--ssh-cidr`) and the stack's JobSecurityGroup."),
        Entry(path: [.key("Lambda"), .key("PostHandler")],
              note: "ncaas runs no post-processing Lambda: do the step at the end of COMMAND, or as a local hook (`ncaas.jobs.hooks.on_success`)."),
        Entry(path: [.key("PostHandler")],
              note: "ncaas runs no post-processing Lambda: do the step at the end of COMMAND, or as a local hook (`ncaas.jobs.hooks.on_success`)."),
        Entry(path: [.key("Lambda"), .key("Handler")],
              note: "ncaas runs no job Lambda: `ncaas jobs serve` (or `ncaas test-job`) starts the jobs from the same submit files."),
        Entry(path: [.key("Lambda"), .key("CodeUri")],
              note: "ncaas runs no job Lambda, so there is no code to upload: `ncaas jobs serve` (or `ncaas test-job`) starts the jobs."),
    ]

    /// The entries whose key `document` has, in the order above.
    public static func present(in document: JSONDocument) -> [Entry] {
        entries.filter { document.value(at: $0.path) != nil }
    }
}

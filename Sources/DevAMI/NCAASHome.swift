import Foundation

/// Where ncaas keeps what is the user's, not the project's: `$NCAAS_HOME`, else `~/.ncaas`.
/// Nothing here is needed to rebuild state (tags hold that); it holds the SSH key, the pinned
/// host keys and small per-analysis caches.
public struct NCAASHome: Sendable, Equatable {
    public var root: String

    public init(root: String) { self.root = root }

    /// The folder for this process's environment.
    public static func forEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> NCAASHome {
        if let folder = environment["NCAAS_HOME"], !folder.isEmpty { return NCAASHome(root: folder) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return NCAASHome(root: home + "/.ncaas")
    }

    /// ncaas's own SSH key (ed25519, private half mode 0600, never sent anywhere).
    public var privateKey: String { root + "/keys/ncaas_ed25519" }
    /// Pinned host keys of instances, under their instance ids (OpenSSH known_hosts format).
    public var knownHosts: String { root + "/known_hosts" }
    /// The dev instance state of one analysis.
    public func devState(_ analysis: String) -> String { root + "/dev/\(analysis).json" }
    public var devFolder: String { root + "/dev" }
}

import AWS
import DevAMI
import Foundation

/// The cloud every instance command talks to, built from the AWS options, the environment and the
/// profile: the AWS client, ncaas's home, and the SSH port instances answer on (`NCAAS_SSH_PORT`,
/// else the profile's `ncaas_ssh_port`, else 22; the local cloud records one in its profile where
/// this machine's port 22 is taken, and some images serve SSH elsewhere).
public enum CloudConnection {
    public static let sshPortVariable = "NCAAS_SSH_PORT"
    public static let sshPortSetting = "ncaas_ssh_port"

    /// - Parameter fallbackRegion: the blueprint's REGION, used when nothing else sets one.
    public static func devCloud(overrides: ConfigurationOverrides, fallbackRegion: String? = nil,
                                transport: any HTTPTransport = CurlTransport()) throws -> DevCloud {
        let resolver = try AWSConfigurationResolver.forProcess(overrides: overrides)
        let configuration = try resolver.resolve(fallbackRegion: fallbackRegion.map { Sourced($0, source: .fallback("blueprint REGION")) })
        let client = AWSClient(configuration: configuration, transport: transport)
        return try DevCloud.make(client: client, sshPort: try sshPort(resolver))
    }

    static func sshPort(_ resolver: AWSConfigurationResolver) throws -> Int {
        let configured: (text: String, source: String)?
        if let value = resolver.environment.value(sshPortVariable) {
            configured = (value, sshPortVariable)
        } else if let value = resolver.profileSetting(sshPortSetting) {
            configured = (value.value, "\(sshPortSetting) in \(value.source)")
        } else {
            configured = nil
        }
        guard let configured else { return 22 }
        guard let port = Int(configured.text.trimmingCharacters(in: .whitespaces)), (1...65535).contains(port) else {
            throw DevError(.badInput, "The SSH port \(configured.text) (from \(configured.source)) is not a port number between 1 and 65535; correct it.")
        }
        return port
    }
}

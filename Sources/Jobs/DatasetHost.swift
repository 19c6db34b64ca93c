import AWS
import DevAMI
import SSH

/// Where one dataset runs: an instance, ncaas's key and an open session to it (one per dataset,
/// even when datasets share an instance: a session serves one thread).
struct DatasetHost {
    var instance: Instance
    var keyPair: SSHKeyPair
    var session: SSHSession

    /// `count` sessions to the running `instance`.
    static func onExisting(_ instance: Instance, count: Int, cloud: DevCloud) throws -> [Result<DatasetHost, Error>] {
        let keyPair = try DevKeys.local(cloud.home)
        let connection = InstanceConnection(cloud: cloud, keyPair: keyPair)
        return (0..<count).map { _ in
            Result { DatasetHost(instance: instance, keyPair: keyPair, session: try connection.connect(to: instance, timeout: 30)) }
        }
    }
}

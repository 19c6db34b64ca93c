import Foundation
import SSH

/// `ncaas-bench sftp-upload HOST PORT USER KEY FILE REMOTE`: what `scp -i KEY -P PORT FILE USER@HOST:REMOTE`
/// does, through ncaas's SSH module: connect, check the host key (pinned in `$NCAAS_BENCH_KNOWN_HOSTS`,
/// default `known_hosts` next to KEY), log in, upload over SFTP. Prints one JSON line with the timings.
enum SFTPUploadBenchmark {
    static func run(_ arguments: [String]) throws {
        guard arguments.count == 6, let port = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: ncaas-bench sftp-upload HOST PORT USER KEY FILE REMOTE\n".utf8))
            exit(64)
        }
        let (host, user, key, file, remote) = (arguments[0], arguments[2], arguments[3], arguments[4], arguments[5])
        let knownHosts = ProcessInfo.processInfo.environment["NCAAS_BENCH_KNOWN_HOSTS"]
            ?? ((key as NSString).deletingLastPathComponent as NSString).appendingPathComponent("known_hosts")
        let start = DispatchTime.now()
        let session = try SSHSession(SSHConnectionOptions(host: host, port: port, user: user, privateKeyPath: key,
                                                          knownHosts: KnownHosts(path: knownHosts)))
        let connected = DispatchTime.now()
        let bytes = try session.sftp().upload(file, to: remote)
        let end = DispatchTime.now()
        let seconds = { (from: DispatchTime, to: DispatchTime) in Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e9 }
        let upload = seconds(connected, end)
        print(#"{"bytes": \#(bytes), "connect_s": \#(seconds(start, connected)), "upload_s": \#(upload), "total_s": \#(seconds(start, end)), "mb_per_s": \#(Double(bytes) / 1e6 / upload), "cipher": "\#(session.cipher ?? "")"}"#)
    }
}

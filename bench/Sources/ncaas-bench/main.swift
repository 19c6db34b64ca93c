import AWS
import Foundation

/// Benchmark drivers: the client side of the side-by-side measurements in bench/*.sh.
///
/// - `ncaas-bench describe-instances N` makes N sequential DescribeInstances calls through ncaas's AWS
///   client (one client, one connection, as a command would) against AWS_ENDPOINT_URL with the
///   environment's credentials, and prints one JSON line with the total and per-call time.
/// - `ncaas-bench sftp-upload HOST PORT USER KEY FILE REMOTE` uploads FILE over SFTP through ncaas's
///   SSH module (see `SFTPUploadBenchmark`).
/// - `ncaas-bench launch-local ROUNDS` times launch-to-SSH-ready of a local instance against a bare
///   `podman run` of the base image, interleaved (see `LaunchBenchmark`).
let arguments = CommandLine.arguments
let usage = "usage: ncaas-bench describe-instances N | ncaas-bench sftp-upload HOST PORT USER KEY FILE REMOTE | ncaas-bench launch-local ROUNDS\n"
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "describe-instances":
        guard arguments.count == 3, let count = Int(arguments[2]), count > 0 else {
            FileHandle.standardError.write(Data(usage.utf8))
            exit(64)
        }
        let configuration = try AWSConfigurationResolver(environment: .process()).resolve()
        let ec2 = EC2Client(AWSClient(configuration: configuration, transport: CurlTransport()))
        var instances = try ec2.describeInstances().count  // warm-up: connection set up outside the timing, as for boto3
        let start = DispatchTime.now()
        for _ in 0..<count {
            instances = try ec2.describeInstances().count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print(#"{"calls": \#(count), "instances": \#(instances), "total_s": \#(seconds), "per_call_ms": \#(seconds * 1000 / Double(count))}"#)
    case "sftp-upload":
        try SFTPUploadBenchmark.run(Array(arguments.dropFirst(2)))
    case "launch-local":
        try LaunchBenchmark.run(Array(arguments.dropFirst(2)))
    default:
        FileHandle.standardError.write(Data(usage.utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("ncaas-bench: \(error)\n".utf8))
    exit(1)
}

import AWS
import Foundation

/// Benchmark driver: `ncaas-bench describe-instances N` makes N sequential DescribeInstances
/// calls through ncaas's AWS client (one client, one connection, as a command would) against
/// AWS_ENDPOINT_URL with the environment's credentials, and prints one JSON line with the
/// total and per-call time.
let arguments = CommandLine.arguments
guard arguments.count == 3, arguments[1] == "describe-instances", let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: ncaas-bench describe-instances N\n".utf8))
    exit(64)
}
do {
    let configuration = try AWSConfigurationResolver(environment: .process()).resolve()
    let ec2 = EC2Client(AWSClient(configuration: configuration, transport: CurlTransport()))
    var instances = try ec2.describeInstances().count  // warm-up: connection set up outside the timing, as for boto3
    let start = DispatchTime.now()
    for _ in 0..<count {
        instances = try ec2.describeInstances().count
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    print(#"{"calls": \#(count), "instances": \#(instances), "total_s": \#(seconds), "per_call_ms": \#(seconds * 1000 / Double(count))}"#)
} catch {
    FileHandle.standardError.write(Data("ncaas-bench: \(error)\n".utf8))
    exit(1)
}

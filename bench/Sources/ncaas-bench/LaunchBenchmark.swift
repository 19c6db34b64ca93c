import AWS
import Foundation
import LocalCloud

/// `ncaas-bench launch-local ROUNDS`: launch-to-SSH-ready of a local instance against the floor,
/// interleaved, ROUNDS times each.
///
/// - The floor: a bare `podman run` of the base image (host keys made at boot, sshd started),
///   until `ssh true` logs in with the system ssh client.
/// - ncaas: RunInstances on the endpoint in the environment (`AWS_ENDPOINT_URL`, a moto), the
///   podman backing starting the instance's container, `waitUntilSSHReady`, and the same login.
///
/// Builds the base image first if it is missing (as `ncaas local up` does). Removes every
/// container it started, and prints one JSON line with the median of each and every run.
enum LaunchBenchmark {
    static let usage = "usage: ncaas-bench launch-local ROUNDS (against the moto at AWS_ENDPOINT_URL)\n"

    static func run(_ arguments: [String]) throws {
        guard arguments.count == 1, let rounds = Int(arguments[0]), rounds > 0 else {
            FileHandle.standardError.write(Data(usage.utf8))
            exit(64)
        }
        let runner = SystemCommandRunner()
        guard runner.isInstalled("ssh"), runner.isInstalled("ssh-keygen") else {
            throw BenchmarkError("the OpenSSH client (ssh, ssh-keygen) is not installed; run scripts/setup.")
        }
        let configuration = try AWSConfigurationResolver(environment: .process()).resolve()
        let ec2 = EC2Client(AWSClient(configuration: configuration, transport: CurlTransport()))
        let endpoint = try ec2.client.endpointURL(for: .ec2).base
        guard InstanceBackings.isLoopback(endpoint) else {
            throw BenchmarkError("launch-local needs a local endpoint, not \(endpoint): set AWS_ENDPOINT_URL to a moto on loopback (bench/launch.sh starts one).")
        }
        let base = try BaseImageBuilder(paths: .forEnvironment()).buildIfMissing { line in
            FileHandle.standardError.write(Data("base image: \(line)\n".utf8))
        }
        let podman = Podman(options: base.podmanOptions)
        try LocalBaseImages.register(on: ec2)
        guard let imageId = try LocalBaseImages.resolve("ubuntu18", on: ec2) else {
            throw BenchmarkError("the alias ubuntu18 is not registered on \(endpoint).")
        }
        let backing = PodmanInstanceBacking(ec2: ec2, podman: podman, endpoint: endpoint)
        let keys = try BenchmarkKeys(runner: runner)
        defer { keys.remove() }

        var containers: [String] = []
        defer {
            for name in containers { try? podman.remove(name) }
        }
        var floor: [Double] = []
        var ncaas: [Double] = []
        for round in 0..<rounds {
            // The floor: podman run of the base image, host keys made at boot, sshd, one login.
            let port = try Loopback.freePort()
            let name = "ncaas-bench-floor-\(getpid())-\(round)"
            containers.append(name)
            var start = DispatchTime.now()
            _ = try podman.runDetached([
                "--name", name, "--network", "host", "-v", BaseImageRecipe.hostKeyFolder,
                "-e", "\(BaseImageRecipe.Environment.sshPort)=\(port)",
                "-e", "\(BaseImageRecipe.Environment.authorizedKey)=\(keys.publicKey)",
            ], image: BaseImageRecipe.reference)
            try keys.login(port: port)
            floor.append(seconds(since: start))
            try podman.remove(name)

            // ncaas: RunInstances on the endpoint, the container, the banner, one login.
            start = DispatchTime.now()
            let reservation = try ec2.runInstances(RunInstancesInput(imageId: imageId, instanceType: "t3.micro"))
            guard let instance = reservation.instances.first else {
                throw BenchmarkError("RunInstances on \(endpoint) returned no instance.")
            }
            containers.append(instance.instanceId)
            try backing.launched(reservation.instances, publicKey: keys.publicKey)
            try backing.waitUntilSSHReady(instance, timeout: 30)
            guard let described = try ec2.describeInstances(instanceIds: [instance.instanceId]).first,
                  let address = backing.sshAddress(of: described) else {
                throw BenchmarkError("the instance \(instance.instanceId) has no SSH address on \(endpoint).")
            }
            try keys.login(port: address.port)
            ncaas.append(seconds(since: start))
            _ = try ec2.terminateInstances([instance.instanceId])
            try backing.terminated([instance.instanceId])
        }
        for name in containers { try podman.remove(name) }
        containers = []
        let left = try podman.containers(withLabel: "\(LocalCloudTags.endpointLabel)=\(endpoint)").count

        let floorMedian = median(floor)
        let ncaasMedian = median(ncaas)
        let list = { (values: [Double]) in values.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
        print(#"{"rounds": \#(rounds), "floor_s": \#(floorMedian), "ncaas_s": \#(ncaasMedian), "ratio": \#(ncaasMedian / floorMedian), "floor_runs_s": [\#(list(floor))], "ncaas_runs_s": [\#(list(ncaas))], "containers_left": \#(left)}"#)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// The middle value (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// A key pair made with ssh-keygen in a temporary folder, for logging in as `ubuntu`.
struct BenchmarkKeys {
    let runner: any CommandRunning
    let folder: String
    let privateKey: String
    let publicKey: String

    init(runner: any CommandRunning) throws {
        self.runner = runner
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-bench-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        privateKey = folder + "/id_ed25519"
        let made = try runner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ncaas-bench", "-f", privateKey])
        guard made.succeeded else { throw BenchmarkError("ssh-keygen failed: \(made.lastMessage).") }
        publicKey = try String(contentsOfFile: privateKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// Polls until `ssh true` logs in as ubuntu on 127.0.0.1:`port` (the host key accepted on
    /// first contact into a fresh known-hosts file per port).
    func login(port: Int) throws {
        let knownHosts = folder + "/known_hosts-\(port)"
        let deadline = Date().addingTimeInterval(30)
        var last = ""
        while Date() < deadline {
            let result = try runner.run("ssh", [
                "-i", privateKey, "-p", String(port), "-o", "UserKnownHostsFile=\(knownHosts)",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=2", "-o", "LogLevel=ERROR", "ubuntu@127.0.0.1", "true",
            ])
            if result.succeeded { return }
            last = result.lastMessage
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BenchmarkError("no SSH login on port \(port) within 30 s (ssh said: \(last)).")
    }
}

/// A benchmark that cannot run, with one sentence saying why.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

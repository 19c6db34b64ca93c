import AWS
import DevAMI
import Foundation
import LocalCloud

/// `ncaas-bench launch-local ROUNDS`: launch-to-SSH-ready of a local instance against the floor,
/// interleaved, ROUNDS times each.
///
/// - The floor: a bare `podman run` of the base image on a loopback address of its own that makes
///   the login user and its host key and starts sshd on port 22, until `ssh true` logs in with the
///   system ssh client.
/// - ncaas: `InstanceLauncher` (what `ncaas dev launch` runs) against the endpoint in the
///   environment (`AWS_ENDPOINT_URL`, the local cloud's emulator): RunInstances, waiting until it
///   runs, the host keys from the console output, the SSH login, the deadline armed.
///
/// Builds the base image first if it is missing (as `ncaas local up` does). Removes every
/// container it started, and prints one JSON line with the median of each and every run.
enum LaunchBenchmark {
    static let usage = "usage: ncaas-bench launch-local ROUNDS (against the local cloud's endpoint at AWS_ENDPOINT_URL)\n"

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
        let client = AWSClient(configuration: configuration, transport: CurlTransport())
        let endpoint = try client.endpointURL(for: .ec2).base
        let base = try BaseImageBuilder(paths: .forEnvironment()).buildIfMissing { line in
            FileHandle.standardError.write(Data("base image: \(line)\n".utf8))
        }
        let podman = Podman(options: base.podmanOptions)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-bench-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let cloud = try DevCloud(ec2: client.ec2, home: NCAASHome(root: home), warn: { _ in })
        let imageId = try ImageReference.resolve("ubuntu18", on: client.ec2)
        let keys = try BenchmarkKeys(runner: runner)
        defer { keys.remove() }

        var containers: [String] = []
        var instances: [String] = []
        defer {
            for name in containers { try? podman.remove(name) }
            if !instances.isEmpty { _ = try? client.ec2.terminateInstances(instances) }
        }
        var floor: [Double] = []
        var ncaas: [Double] = []
        for round in 0..<rounds {
            // The floor: podman run of the base image, the user and a host key made at boot, sshd on
            // port 22 of its own address, one login.
            let address = "127.\(Int.random(in: 16...254)).\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"
            let name = "ncaas-bench-floor-\(getpid())-\(round)"
            containers.append(name)
            let boot = "useradd -m -s /bin/bash ubuntu && install -d -m 0700 -o ubuntu -g ubuntu /home/ubuntu/.ssh"
                + " && printf '%s\\n' \"$KEY\" > /home/ubuntu/.ssh/authorized_keys && chown ubuntu /home/ubuntu/.ssh/authorized_keys"
                + " && mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/host_ed25519"
                + " && exec /usr/sbin/sshd -D -e -h /etc/ssh/host_ed25519 -o ListenAddress=\(address) -p 22"
            var start = DispatchTime.now()
            _ = try podman.runDetached(["--name", name, "--network", "host", "-e", "KEY=\(keys.publicKey)"],
                                       image: BaseImageRecipe.reference, command: ["sh", "-c", boot])
            try keys.login(host: address, port: 22)
            floor.append(seconds(since: start))
            try podman.remove(name)

            // ncaas: the launcher, as `ncaas dev launch` runs it.
            start = DispatchTime.now()
            let launched = try InstanceLauncher(cloud: cloud).launch(.init(analysis: "bench", role: .dev, imageId: imageId,
                                                                            instanceType: "t3.micro", lifetime: 600))
            instances.append(launched.instance.instanceId)
            ncaas.append(seconds(since: start))
            _ = try client.ec2.terminateInstances([launched.instance.instanceId])
        }
        for name in containers { try podman.remove(name) }
        containers = []
        _ = try client.ec2.waitForInstances(instances, toBe: .terminated, policy: WaiterPolicy(timeout: 60))
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

    /// Polls until `ssh true` logs in as ubuntu on `host`:`port` (the host key accepted on first
    /// contact into a fresh known-hosts file per address).
    func login(host: String = "127.0.0.1", port: Int) throws {
        let knownHosts = folder + "/known_hosts-\(host)-\(port)"
        let deadline = Date().addingTimeInterval(30)
        var last = ""
        while Date() < deadline {
            let result = try runner.run("ssh", [
                "-i", privateKey, "-p", String(port), "-o", "UserKnownHostsFile=\(knownHosts)",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=2", "-o", "LogLevel=ERROR", "ubuntu@\(host)", "true",
            ])
            if result.succeeded { return }
            last = result.lastMessage
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BenchmarkError("no SSH login on \(host):\(port) within 30 s (ssh said: \(last)).")
    }
}

/// A benchmark that cannot run, with one sentence saying why.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

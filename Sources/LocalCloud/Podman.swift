import Foundation

/// One container as `podman ps` lists it.
public struct PodmanContainer: Sendable, Equatable {
    public var id: String
    public var name: String
    public var image: String
    /// "running", "exited", "created", ...
    public var state: String
    public var labels: [String: String]

    public var isRunning: Bool { state == "running" }
}

/// The podman command line, with this machine's options (see `PodmanOptions`) applied.
/// Every method is one podman invocation; failures throw `LocalCloudError` with podman's words.
public struct Podman: Sendable {
    public var runner: any CommandRunning
    public var options: PodmanOptions

    public init(runner: any CommandRunning = SystemCommandRunner(), options: PodmanOptions = PodmanOptions()) {
        self.runner = runner
        self.options = options
    }

    /// Whether podman is installed.
    public var isInstalled: Bool { runner.isInstalled("podman") }

    /// Runs `podman <global options> arguments...` and returns its result without judging it.
    public func call(_ arguments: [String]) throws -> CommandResult {
        try runner.run("podman", options.globalArguments + arguments)
    }

    /// Runs podman and throws, saying `what` failed, unless it exits 0; returns stdout.
    @discardableResult
    public func checked(_ arguments: [String], _ what: String) throws -> String {
        let result = try call(arguments)
        guard result.succeeded else {
            throw LocalCloudError(.failed, "Could not \(what): podman said \"\(result.lastMessage)\".")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Images

    public func imageExists(_ reference: String) throws -> Bool {
        try call(["image", "exists", reference]).succeeded
    }

    /// The image's size in bytes, nil when it does not exist.
    public func imageSize(_ reference: String) throws -> Int64? {
        let result = try call(["image", "inspect", "--format", "{{.Size}}", reference])
        guard result.succeeded else { return nil }
        return Int64(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func tag(_ source: String, as target: String) throws {
        try checked(["tag", source, target], "tag \(source) as \(target)")
    }

    /// Removes one tag (the image goes when it was the last one). Missing tags are fine.
    public func removeImage(_ reference: String) throws {
        let result = try call(["rmi", reference])
        if !result.succeeded, try imageExists(reference) {
            throw LocalCloudError(.failed, "Could not remove the image \(reference): podman said \"\(result.lastMessage)\".")
        }
    }

    /// Image references (repository:tag) whose repository is `repository`.
    public func imageTags(repository: String) throws -> [String] {
        let out = try checked(["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference=\(repository)"], "list images")
        return out.split(separator: "\n").map(String.init).filter { $0.hasPrefix(repository + ":") }
    }

    // MARK: Containers

    /// `podman run -d` with the machine's run options; returns the container id.
    public func runDetached(_ arguments: [String], image: String, command: [String] = []) throws -> String {
        try checked(["run", "-d"] + options.runArguments + arguments + [image] + command, "start a container from \(image)")
    }

    /// `podman run --rm` in the foreground, returning the result unjudged.
    public func runOnce(_ arguments: [String], image: String, command: [String]) throws -> CommandResult {
        try call(["run", "--rm"] + options.runArguments + arguments + [image] + command)
    }

    public func start(_ container: String) throws {
        try checked(["start", container], "start the container \(container)")
    }

    public func stop(_ container: String, timeoutSeconds: Int = 5) throws {
        try checked(["stop", "-t", String(timeoutSeconds), container], "stop the container \(container)")
    }

    /// Removes a container and its anonymous volumes (the instance's host keys), running or not.
    /// A container that does not exist is fine.
    public func remove(_ container: String) throws {
        let result = try call(["rm", "-f", "-v", "-t", "2", container])
        if !result.succeeded, try containerState(container) != nil {
            throw LocalCloudError(.failed, "Could not remove the container \(container): podman said \"\(result.lastMessage)\".")
        }
    }

    /// Commits a container's file system as an image tagged `reference`.
    public func commit(_ container: String, as reference: String) throws {
        try checked(["commit", "--quiet", container, reference], "commit the container \(container)")
    }

    /// The container's state ("running", "exited"...), nil when it does not exist.
    public func containerState(_ container: String) throws -> String? {
        let result = try call(["container", "inspect", "--format", "{{.State.Status}}", container])
        guard result.succeeded else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The environment a container was created with.
    public func containerEnvironment(_ container: String) throws -> [String: String] {
        let out = try checked(["container", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", container],
                              "read the environment of \(container)")
        var environment: [String: String] = [:]
        for line in out.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    /// The last lines a container printed.
    public func logTail(_ container: String, lines: Int = 5) -> String {
        guard let result = try? call(["logs", "--tail", String(lines), container]) else { return "" }
        return (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every container (running or not) carrying `label` (a key, or key=value).
    public func containers(withLabel label: String) throws -> [PodmanContainer] {
        let out = try checked(["ps", "-a", "--filter", "label=\(label)", "--format", "json"], "list containers")
        guard let data = out.data(using: .utf8), !out.isEmpty,
              let rows = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return rows.map { row in
            PodmanContainer(
                id: row["Id"] as? String ?? "",
                name: (row["Names"] as? [String])?.first ?? "",
                image: row["Image"] as? String ?? "",
                state: row["State"] as? String ?? "",
                labels: row["Labels"] as? [String: String] ?? [:])
        }
    }
}

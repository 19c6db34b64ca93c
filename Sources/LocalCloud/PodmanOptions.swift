import Foundation
import Support

/// The extra podman arguments this machine needs, and where they came from.
///
/// A normal laptop needs none. Some machines do: where the default runtime (crun) fails with
/// "cgroups in hybrid mode not supported", `--runtime runc` works; where raising rlimits is not
/// permitted, `--ulimit nofile=1024:1024 --ulimit nproc=1024:1024` lowers them instead. These
/// are found by trying (see `PodmanOptionsResolver`), or given in `NCAAS_PODMAN_ARGS`.
public struct PodmanOptions: Sendable, Equatable, Codable {
    /// Where the options came from.
    public enum Source: String, Sendable, Codable {
        /// `NCAAS_PODMAN_ARGS`.
        case environment
        /// Tried on this machine and remembered in the local cloud's folder.
        case detected
        /// Nothing was needed or nothing was tried yet.
        case none
    }

    /// Arguments before the podman subcommand (`--runtime runc`).
    public var globalArguments: [String]
    /// Arguments after `podman run` (`--ulimit nofile=1024:1024`).
    public var runArguments: [String]
    public var source: Source

    public init(globalArguments: [String] = [], runArguments: [String] = [], source: Source = .none) {
        self.globalArguments = globalArguments
        self.runArguments = runArguments
        self.source = source
    }

    /// The name of the environment variable that overrides detection, e.g.
    /// `NCAAS_PODMAN_ARGS="--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"`.
    public static let environmentVariable = "NCAAS_PODMAN_ARGS"

    /// podman's global options that take a value: they go before the subcommand.
    public static let globalOptionNames: Set<String> = [
        "--runtime", "--root", "--runroot", "--storage-driver", "--cgroup-manager", "--events-backend", "--tmpdir",
    ]

    /// The options spelled in `NCAAS_PODMAN_ARGS`: words split on white space; podman's global
    /// options (`--runtime X`, `--root X`, ... or `--runtime=X`) go before the subcommand, the
    /// rest after `podman run`.
    public static func parse(_ text: String) -> PodmanOptions {
        var global: [String] = []
        var run: [String] = []
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)[...]
        while let word = words.popFirst() {
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if globalOptionNames.contains(word), let value = words.popFirst() {
                global += [word, value]
            } else if globalOptionNames.contains(name), word.contains("=") {
                global.append(word)
            } else {
                run.append(word)
            }
        }
        return PodmanOptions(globalArguments: global, runArguments: run, source: .environment)
    }

    /// What to try, in order, when nothing is configured: the defaults first.
    public static let candidates: [PodmanOptions] = {
        let runc = ["--runtime", "runc"]
        let ulimits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
        return [
            PodmanOptions(source: .detected),
            PodmanOptions(globalArguments: [], runArguments: ulimits, source: .detected),
            PodmanOptions(globalArguments: runc, runArguments: [], source: .detected),
            PodmanOptions(globalArguments: runc, runArguments: ulimits, source: .detected),
        ]
    }()

    /// The options as one line, for people ("none" when empty).
    public var summary: String {
        let words = globalArguments + runArguments
        return words.isEmpty ? "none" : words.joined(separator: " ")
    }
}

/// Finds the podman options for this machine: `NCAAS_PODMAN_ARGS` if set, else what was
/// detected before (remembered in `podman-options.json` in the local cloud's folder), else
/// tries each candidate with `podman run --rm IMAGE true` and remembers the first that works.
public struct PodmanOptionsResolver: Sendable {
    public var runner: any CommandRunning
    public var environment: [String: String]
    /// Where the detected options are remembered.
    public var storePath: String

    public init(runner: any CommandRunning, environment: [String: String], storePath: String) {
        self.runner = runner
        self.environment = environment
        self.storePath = storePath
    }

    /// The override or the remembered options, without trying anything; nil when neither exists.
    public func known() -> PodmanOptions? {
        if let text = environment[PodmanOptions.environmentVariable], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            return PodmanOptions.parse(text)
        }
        guard let data = FileManager.default.contents(atPath: storePath) else { return nil }
        return try? JSONDecoder().decode(PodmanOptions.self, from: data)
    }

    /// The options to use, trying candidates with `image` when none are known.
    public func resolve(testImage image: String) throws -> PodmanOptions {
        if let known = known() { return known }
        var lastFailure = ""
        for candidate in PodmanOptions.candidates {
            let result = try runner.run("podman", candidate.globalArguments + ["run", "--rm"] + candidate.runArguments + [image, "true"])
            if result.succeeded {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                if let data = try? encoder.encode(candidate) { try? AtomicFile.write(data, to: storePath) }
                return candidate
            }
            lastFailure = result.lastMessage
        }
        throw LocalCloudError(.failed, "podman cannot run a container here with any known options (last error: \(lastFailure)); set \(PodmanOptions.environmentVariable) to the arguments that work.")
    }

    /// Forgets the remembered options (after the machine changed).
    public func forget() {
        try? FileManager.default.removeItem(atPath: storePath)
    }
}

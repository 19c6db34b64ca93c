/// Where a dataset's files live on its instance, under the login user's home
/// (`~/ncaas_job/<job>/<dataset file name>/`, so datasets sharing an instance never meet), and
/// the environment variables that tell COMMAND about them:
///
/// | variable             | value                                                        |
/// |----------------------|--------------------------------------------------------------|
/// | `NCAAS_INPUT`        | the dataset, staged: `<folder>/inputs/<basename>`            |
/// | `NCAAS_CONFIG`       | the config, staged: `<folder>/configs/<basename>`            |
/// | `NCAAS_OUTPUT`       | an empty folder for results: `<folder>/output`; what is in   |
/// |                      | it at the end is copied to `process_results/`                |
/// | `NCAAS_BUCKET`       | the bucket (COMMAND's first `{}`)                            |
/// | `NCAAS_DATASET_KEY`  | the dataset key (second `{}`)                                |
/// | `NCAAS_RESULT_DIR`   | `<group>/results/job__<analysis>_<timestamp>` (third `{}`)   |
/// | `NCAAS_CONFIG_KEY`   | the config key (fourth `{}`)                                 |
/// | `NCAAS_JOB`          | `job__<analysis>_<timestamp>`                                |
/// | `NCAAS_POWER_LOG`    | where a shutdown COMMAND asks for is recorded (`PowerShims`)  |
///
/// With SFTP staging instances need no AWS credentials: ncaas copies the inputs in and the results
/// out. COMMAND runs as `ncaas.jobs.user` (root by default, with root's home, as NeuroCAAS's SSM
/// runs it); the folder stays the login user's.
public struct RemoteJobFolder: Sendable, Equatable {
    /// Where every job's folders are, relative to the login user's home (SFTP paths resolve there).
    public static let base = "ncaas_job"

    public var datasetBasename: String
    public var configBasename: String
    /// This dataset's folder: `ncaas_job/<job>/<dataset file name>`.
    public var root: String

    public init(dataset: String, config: String, job: String) {
        datasetBasename = JobLayout.basename(dataset)
        configBasename = JobLayout.basename(config)
        root = Self.base + "/" + job + "/" + datasetBasename
    }

    /// Removes what an earlier run of the same job left in this folder (an instance that is reused)
    /// and makes its inputs, configs and output folders.
    public var prepareScript: String {
        // What root's COMMAND left (an interrupted run never gave it back) goes with sudo.
        "{ rm -rf \(Self.shell(root)) 2>/dev/null || sudo -n rm -rf \(Self.shell(root)); } && mkdir -p \([inputsFolder, configsFolder, outputFolder].map(Self.shell).joined(separator: " "))"
    }

    public var inputsFolder: String { root + "/inputs" }
    public var configsFolder: String { root + "/configs" }
    public var outputFolder: String { root + "/output" }
    public var input: String { inputsFolder + "/" + datasetBasename }
    public var config: String { configsFolder + "/" + configBasename }
    /// What the wrapper writes when COMMAND ends: exit code, CPU seconds, peak memory.
    public var resultFile: String { root + "/ncaas-result" }
    /// The process id of COMMAND's `timeout`, which leads COMMAND's process group. `timeout` runs as
    /// COMMAND's user (a user's `timeout` could not signal root's COMMAND at its limit), and writes it.
    public var pidFile: String { root + "/ncaas-pid" }

    /// A script printing `ticks=N rss=PAGES hz=HZ page=BYTES` for COMMAND's process group (CPU
    /// ticks of its live processes and of the children they reaped, and resident pages), read from
    /// /proc; prints nothing before COMMAND starts.
    public var sampleScript: String {
        """
        pg=$(cat \(Self.shell(pidFile)) 2>/dev/null) || exit 0
        [ -n "$pg" ] || exit 0
        t=0; r=0
        for f in /proc/[0-9]*/stat; do
          read -r line < "$f" 2>/dev/null || continue
          rest=${line##*) }
          set -- $rest
          [ "$3" = "$pg" ] || continue
          t=$((t + ${12} + ${13} + ${14} + ${15})); r=$((r + ${22}))
        done
        echo "ticks=$t rss=$r hz=$(getconf CLK_TCK) page=$(getconf PAGESIZE)"
        """
    }

    /// `"$HOME"/'<path>'` for the remote shell.
    static func shell(_ relative: String) -> String { "\"$HOME\"/" + ShellQuoting.quote(relative) }

    /// The requests to power off or reboot COMMAND made while it ran (`PowerShims`), one per line.
    public var powerLogFile: String { root + "/ncaas-power-requests" }

    /// Exit statuses of the wrapper itself (not COMMAND's), each with what it means.
    public enum WrapperStatus {
        /// WORKING_DIRECTORY does not exist on the instance.
        public static let noWorkingDirectory = 90
        /// `ncaas.jobs.user` names no user on the instance.
        public static let noSuchUser = 92
        /// COMMAND must run as another user, but the login user may not use sudo without a password.
        public static let noSudo = 93
    }

    /// The script run over SSH as the login user: cd to WORKING_DIRECTORY (a leading `~` is the
    /// login user's home), export the variables, put the power shims in place (`PowerShims`), run
    /// `command` (already rendered and quoted) as `user` (`sudo -H -u`, so with that user's home,
    /// unless it is the login user) under that user's `timeout` (TERM at the limit, KILL 10 s later), then give
    /// the dataset's folder back to the login user, take the shims away, and record how COMMAND
    /// ended. Its own exit status is COMMAND's (124 or 137 when the limit stopped it), or one of
    /// `WrapperStatus` when COMMAND could not start.
    /// `staged` is false for direct staging: COMMAND reads S3 itself (with the instance profile's
    /// credentials from the instance metadata), so there is no `NCAAS_INPUT` or `NCAAS_CONFIG`.
    public func script(command: String, workingDirectory: String, timeoutSeconds: Int, layout: JobLayout, dataset: String, config: String,
                       staged: Bool = true, user: String = JobSettings.defaultCommandUser) -> String {
        var exports: [(String, String)] = [
            ("NCAAS_BUCKET", ShellQuoting.quote(layout.bucket)),
            ("NCAAS_DATASET_KEY", ShellQuoting.quote(dataset)),
            ("NCAAS_RESULT_DIR", ShellQuoting.quote(layout.resultPrefix)),
            ("NCAAS_CONFIG_KEY", ShellQuoting.quote(config)),
            ("NCAAS_JOB", ShellQuoting.quote(layout.jobName)),
        ]
        if staged { exports += [("NCAAS_INPUT", Self.shell(input)), ("NCAAS_CONFIG", Self.shell(self.config))] }
        exports.append(("NCAAS_OUTPUT", Self.shell(outputFolder)))
        exports.append((PowerShims.logVariable, Self.shell(powerLogFile)))
        // COMMAND's environment is passed through `env` (sudo would reset it), each value as data.
        let passed = exports.map { "\"\($0.0)=$\($0.0)\"" }.joined(separator: " ")
        let result = Self.shell(resultFile)
        let fail = { (status: Int, format: String, argument: String) in
            "{ printf \(ShellQuoting.quote(format + "\\n")) \(argument) >&2; printf 'exit=\(status)\\n' > \(result); exit \(status); }"
        }
        let quotedUser = ShellQuoting.quote(user)
        return """
            \(exports.map { "export \($0.0)=\($0.1)" }.joined(separator: "\n"))
            run_as=\(quotedUser)
            : > "$\(PowerShims.logVariable)"
            cd \(ShellQuoting.quotePath(workingDirectory)) 2>/dev/null || \(fail(WrapperStatus.noWorkingDirectory, "ncaas: WORKING_DIRECTORY %s does not exist on the instance", ShellQuoting.quote(workingDirectory)))
            if [ "$run_as" = "$(id -un)" ]; then
              as_user=; command_path="\(PowerShims.folder):$PATH"
            else
              id -u "$run_as" >/dev/null 2>&1 || \(fail(WrapperStatus.noSuchUser, "ncaas: the user %s (ncaas.jobs.user) does not exist on the instance", "\"$run_as\""))
              sudo -n true 2>/dev/null || \(fail(WrapperStatus.noSudo, "ncaas: COMMAND runs as %s, but %s may not use sudo without a password on the instance", "\"$run_as\" \"$(id -un)\""))
              [ "$run_as" = root ] || sudo -n chown -R "$run_as" \(Self.shell(root))
              as_user="sudo -n -H -u $run_as --"; command_path="\(PowerShims.folder):\(PowerShims.systemPath)"
            fi
            if sudo -n true 2>/dev/null; then sudo -n sh -c \(ShellQuoting.quote(PowerShims.installScript)) ncaas-power "$$" || true; fi
            $as_user sh -c 'echo "$$" > "$1"; shift; exec "$@"' ncaas-run \(Self.shell(pidFile)) \\
              timeout --kill-after=10 \(max(1, timeoutSeconds)) env "PATH=$command_path" \(passed) sh -c \(ShellQuoting.quote(command)) </dev/null &
            pid=$!
            wait "$pid"
            code=$?
            times > \(result).times
            [ -z "$as_user" ] || sudo -n chown -R "$(id -u):$(id -g)" \(Self.shell(root)) 2>/dev/null
            if sudo -n true 2>/dev/null; then sudo -n sh -c \(ShellQuoting.quote(PowerShims.removeScript)) ncaas-power "$$" 2>/dev/null; fi
            set -- $(tail -n 1 \(result).times)
            mem=$(cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || echo)
            printf 'exit=%s\\ncpu=%s %s\\nmem=%s\\n' "$code" "$1" "$2" "$mem" > \(result)
            exit $code
            """
    }
}

/// COMMAND's CPU and memory while it runs, from `RemoteJobFolder.sampleScript`.
public struct RemoteSample: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentBytes: Int

    public init(cpuSeconds: Double, residentBytes: Int) {
        self.cpuSeconds = cpuSeconds
        self.residentBytes = residentBytes
    }

    /// Parses `ticks=N rss=PAGES hz=HZ page=BYTES`; nil for anything else.
    public static func parse(_ text: String) -> RemoteSample? {
        var values: [String: Int] = [:]
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        guard let ticks = values["ticks"], let pages = values["rss"], let hz = values["hz"], hz > 0, let page = values["page"] else { return nil }
        return RemoteSample(cpuSeconds: Double(ticks) / Double(hz), residentBytes: pages * page)
    }
}

/// How COMMAND ended, read from the wrapper's result file.
public struct RemoteResult: Sendable, Equatable {
    public var exitCode: Int?
    /// User + system CPU seconds of COMMAND and its children.
    public var cpuSeconds: Double?
    /// Peak memory of the instance's cgroup, in bytes, where the instance exposes it.
    public var peakMemoryBytes: Int?

    public init(exitCode: Int? = nil, cpuSeconds: Double? = nil, peakMemoryBytes: Int? = nil) {
        self.exitCode = exitCode
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }

    /// Parses `exit=N`, `cpu=0m0.12s 0m0.03s`, `mem=12345` lines.
    public static func parse(_ text: String) -> RemoteResult {
        var result = RemoteResult()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "exit": result.exitCode = Int(parts[1])
            case "cpu":
                let times = parts[1].split(separator: " ").compactMap { minutesSeconds(String($0)) }
                if !times.isEmpty { result.cpuSeconds = times.reduce(0, +) }
            case "mem": result.peakMemoryBytes = Int(parts[1].trimmingCharacters(in: .whitespaces))
            default: break
            }
        }
        return result
    }

    /// `0m1.25s` → 1.25.
    static func minutesSeconds(_ text: String) -> Double? {
        guard text.hasSuffix("s"), let m = text.firstIndex(of: "m"), let minutes = Double(text[..<m]),
              let seconds = Double(text[text.index(after: m)..<text.index(before: text.endIndex)]) else { return nil }
        return minutes * 60 + seconds
    }
}

import Support
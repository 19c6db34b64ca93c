import Blueprint
import Foundation
import Support

/// Commands run on the machine that runs the job manager, when a job starts and when it ends, as
/// a blueprint names them under `ncaas.jobs.hooks` (`on_start`, `on_success`, `on_failure`):
///
/// ```json
/// "ncaas": {"jobs": {"hooks": {"on_success": "notify-send \"$NCAAS_JOB done\""}}}
/// ```
/// Each runs with `/bin/sh -c` in the blueprint's folder, at most `timeout` seconds, with the
/// environment of ncaas plus: `NCAAS_HOOK` (start, success or failure), `NCAAS_ANALYSIS`,
/// `NCAAS_BUCKET`, `NCAAS_GROUP`, `NCAAS_JOB`, `NCAAS_RESULT_DIR`, `NCAAS_CERTIFICATE_KEY`,
/// `NCAAS_DATASETS` (the dataset keys, one a line), and at the end `NCAAS_SUCCEEDED` and
/// `NCAAS_FAILED` (counts). A hook's failure is a line in the certificate, never the job's.
public struct JobHooks: Sendable, Equatable {
    public enum Event: String, Sendable {
        case start, success, failure
    }

    public var onStart: String?
    public var onSuccess: String?
    public var onFailure: String?
    /// Where hooks run (the blueprint's folder).
    public var folder: String?
    public var timeout: TimeInterval = 60

    public init(onStart: String? = nil, onSuccess: String? = nil, onFailure: String? = nil, folder: String? = nil) {
        self.onStart = onStart
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.folder = folder
    }

    /// The hooks of `blueprint` (none when it names none); `folder` is where they run.
    public static func from(_ blueprint: Blueprint, folder: String?) -> JobHooks {
        let hooks = blueprint.document.value(at: [.key(Blueprint.ncaasKey), .key("jobs"), .key("hooks")])
        return JobHooks(onStart: hooks?["on_start"]?.stringValue, onSuccess: hooks?["on_success"]?.stringValue,
                        onFailure: hooks?["on_failure"]?.stringValue, folder: folder)
    }

    func command(for event: Event) -> String? {
        switch event {
        case .start: return onStart
        case .success: return onSuccess
        case .failure: return onFailure
        }
    }

    /// Runs the hook of `event`, if any; returns a sentence for the certificate when it failed.
    func run(_ event: Event, layout: JobLayout, datasets: [String], counts: (succeeded: Int, failed: Int)? = nil) -> String? {
        guard let command = command(for: event), !command.isEmpty else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment.merge([
            "NCAAS_HOOK": event.rawValue, "NCAAS_ANALYSIS": layout.analysis, "NCAAS_BUCKET": layout.bucket, "NCAAS_GROUP": layout.group,
            "NCAAS_JOB": layout.jobName, "NCAAS_RESULT_DIR": layout.resultPrefix, "NCAAS_CERTIFICATE_KEY": layout.certificateKey,
            "NCAAS_DATASETS": datasets.joined(separator: "\n"),
        ]) { _, new in new }
        if let counts {
            environment["NCAAS_SUCCEEDED"] = String(counts.succeeded)
            environment["NCAAS_FAILED"] = String(counts.failed)
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-hook-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let name = "on_\(event.rawValue)"
        do {
            let pid = try ChildProcess.start("/bin/sh", ["-c", command], stdoutPath: output, stderrPath: nil, environment: environment, inFolder: folder)
            guard let code = ChildProcess.wait(pid, timeout: timeout) else {
                kill(pid, SIGKILL)
                _ = ChildProcess.wait(pid)
                return "hook \(name) did not finish within \(Int(timeout)) s and was stopped."
            }
            guard code == 0 else {
                let tail = String(decoding: (FileManager.default.contents(atPath: output) ?? Data()).suffix(300), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return "hook \(name) exited with status \(code)\(tail.isEmpty ? "" : ": \(tail)")."
            }
            return nil
        } catch {
            return "hook \(name) could not start: \(error)"
        }
    }
}

import AWS
import Deploy
import DevAMI
import Foundation
import Jobs
import LosslessJSON
import Support

/// `ncaas manager status|logs|restart`: the in-stack job manager of a deployed analysis, read and
/// steered through its bucket and EC2 alone (no SSH to it).
public enum ManagerCommands {
    struct Target {
        var context: DevContext
        var naming: StackNaming
        var s3: S3Client { context.cloud.ec2.client.s3 }
    }

    static func target(_ target: String, overrides: ConfigurationOverrides) throws -> Target {
        let context = try DevContext.make(target, overrides: overrides)
        let naming = StackNaming(analysis: context.analysis, bucket: context.blueprint.bucketName)
        guard try context.cloud.ec2.client.s3.bucketExists(naming.bucketName) else {
            throw JobError(.notFound, "\(context.analysis) is not deployed (there is no bucket \(naming.bucketName)); run `ncaas deploy \(target)` first.")
        }
        return Target(context: context, naming: naming)
    }

    public static func status(_ target: String, overrides: ConfigurationOverrides) throws -> ManagerStatus {
        let resolved = try Self.target(target, overrides: overrides)
        return try ManagerStatus.collect(analysis: resolved.naming.analysis, bucket: resolved.naming.bucketName,
                                         queueName: resolved.naming.jobQueueName, cloud: resolved.context.cloud)
    }

    /// The log's tail as the manager last shipped it.
    public static func logs(_ target: String, overrides: ConfigurationOverrides) throws -> String {
        let resolved = try Self.target(target, overrides: overrides)
        guard let data = try? resolved.s3.getObject(bucket: resolved.naming.bucketName, key: ManagerLayout.logKey) else {
            throw JobError(.notFound, "The job manager of \(resolved.naming.analysis) has shipped no log yet; see `ncaas manager status \(target)`.")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints the log, then what is added to it, every two seconds until interrupted.
    public static func follow(_ target: String, overrides: ConfigurationOverrides, write: (String) -> Void) throws {
        let resolved = try Self.target(target, overrides: overrides)
        var shown = ""
        while true {
            if let data = try? resolved.s3.getObject(bucket: resolved.naming.bucketName, key: ManagerLayout.logKey) {
                let text = String(decoding: data, as: UTF8.self)
                write(TextFollower.newPart(of: text, after: shown))
                shown = text
            }
            Thread.sleep(forTimeInterval: 2)
        }
    }

    /// Asks the manager to drain and start again (it reads the request at its next heartbeat).
    public static func restart(_ target: String, overrides: ConfigurationOverrides) throws -> String {
        let resolved = try Self.target(target, overrides: overrides)
        _ = try resolved.s3.putObject(bucket: resolved.naming.bucketName, key: ManagerLayout.restartKey,
                                      data: Data("\(InstanceTags.format(Date()))\n".utf8), contentType: "text/plain")
        return "Asked the job manager of \(resolved.naming.analysis) to restart: it finishes the jobs it runs, then starts again (`ncaas manager status \(target)` shows its new start)."
    }

    // MARK: Reports

    public static func statusText(_ status: ManagerStatus, now: Date = Date()) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 12, withPad: " ", startingAt: 0) + value) }
        if let instance = status.instances.first {
            row("instance", "\(instance.instanceId) (\(instance.state), \(instance.instanceType))")
        } else {
            row("instance", "none")
        }
        if let heartbeat = status.heartbeat {
            let uptime = InstanceTags.parse(heartbeat.startedAt).map { DurationText.describe(now.timeIntervalSince($0)) } ?? "?"
            row("serving", status.isServing ? "yes, ncaas \(heartbeat.version) (build \(heartbeat.build)), up \(uptime)" : "no")
            row("heartbeat", "\(Int(status.heartbeatAge ?? 0)) s ago, from \(heartbeat.instanceId)")
            row("running", "\(heartbeat.runningJobs) job\(heartbeat.runningJobs == 1 ? "" : "s")")
            for job in heartbeat.recentJobs { row("ran", "\(job.job) \(job.outcome) at \(job.at)") }
        } else {
            row("serving", "no heartbeat yet")
        }
        if let depth = status.queueDepth { row("queue", "\(depth) waiting, \(status.queueInFlight ?? 0) in flight") }
        if let problem = status.problem { lines.append(""); lines.append(problem) }
        return lines.joined(separator: "\n")
    }

    public static func statusJSON(_ status: ManagerStatus) -> JSONValue {
        .object([
            ("serving", .bool(status.isServing)),
            ("instances", .array(status.instances.map { .object([("instanceId", .string($0.instanceId)), ("state", .string($0.state)),
                                                                 ("instanceType", .string($0.instanceType))]) })),
            ("heartbeat", status.heartbeat.map { heartbeat in .object([
                ("instanceId", .string(heartbeat.instanceId)), ("build", .string(heartbeat.build)), ("version", .string(heartbeat.version)),
                ("startedAt", .string(heartbeat.startedAt)), ("at", .string(heartbeat.at)), ("runningJobs", .number(String(heartbeat.runningJobs))),
                ("recentJobs", .array(heartbeat.recentJobs.map { .object([("job", .string($0.job)), ("outcome", .string($0.outcome)), ("at", .string($0.at))]) })),
            ]) } ?? .null),
            ("heartbeatAgeSeconds", status.heartbeatAge.map { .number(String(Int($0))) } ?? .null),
            ("queueDepth", status.queueDepth.map { .number(String($0)) } ?? .null),
            ("queueInFlight", status.queueInFlight.map { .number(String($0)) } ?? .null),
            ("console", .array(status.consoleLines.map(JSONValue.string))),
            ("problem", status.problem.map(JSONValue.string) ?? .null),
        ])
    }
}

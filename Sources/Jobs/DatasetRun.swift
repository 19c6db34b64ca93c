import AWS
import DevAMI
import Foundation
import SSH
import Support

/// One dataset on its own instance: stage the dataset and the config over SFTP (unless staging is
/// direct: COMMAND then reads them from S3 itself), run COMMAND with the output streamed into the
/// status file, copy the output folder to `process_results/`, and
/// end with SUCCESS or FAILED and a reason. Never throws: every failure is the dataset's status.
struct DatasetRun {
    var dataset: String
    var configKey: String
    /// The config, already downloaded by the manager.
    var configFile: String
    var timeoutSeconds: Int
    var settings: JobSettings
    var layout: JobLayout
    var s3: S3Client
    var publisher: StatusPublisher
    var streamInterval: Double
    /// Variables beyond ncaas's own in COMMAND's environment (a direct-mode job's access on the local cloud).
    var environment: [(name: String, value: String)] = []
    /// Called once, when COMMAND has ended and its results are copied, just before the final status
    /// is written: terminates the instance when the job launched it and returns when (the status's
    /// `instance_terminate`, what MAXCOST counts); nil when the instance stays.
    var release: () -> Date? = { nil }
    var now: () -> Date
    /// Where the instance is (for the usage sampler's own SSH session).
    var cloud: DevCloud
    /// Told when the run moves on to a step (staging, running COMMAND, collecting the results).
    var onStep: (String) -> Void = { _ in }
    /// Asked before the dataset would end FAILED: one sentence when its spot instance was interrupted
    /// while `step` ran (it then ends INTERRUPTED, to be run again), nil otherwise. `lostConnection`:
    /// the run failed reaching the instance rather than by COMMAND's exit. See `SpotWatch`.
    var interruption: (_ step: String, _ lostConnection: Bool) -> String? = { _, _ in nil }

    func run(on launched: DatasetHost) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-dataset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let folder = RemoteJobFolder(dataset: dataset, config: configKey, job: layout.jobName)
        let session = launched.session
        var step = "staging the dataset and config"
        onStep(step)
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            // mkdir -p, not SFTP: datasets sharing an instance make their common parents at once.
            let prepare = try session.exec(folder.prepareScript, timeout: .seconds(60))
            guard prepare.status.succeeded else { throw JobError(.failed, "Could not prepare \(folder.root) on the instance: \(prepare.stderrText)") }
            let sftp = try session.sftp()
            if settings.staging == .sftp {
                // Stage: S3 → this machine → the instance (which has no credentials).
                let localInput = (scratch as NSString).appendingPathComponent("input")
                try s3.getObject(bucket: layout.bucket, key: dataset, toFile: localInput)
                _ = try sftp.upload(localInput, to: folder.input)
                _ = try sftp.upload(configFile, to: folder.config)
            }
            if !environment.isEmpty {
                let local = (scratch as NSString).appendingPathComponent("environment")
                guard FileManager.default.createFile(atPath: local, contents: Data(RemoteJobFolder.environmentFileText(environment).utf8),
                                                     attributes: [.posixPermissions: 0o600]) else {
                    throw JobError(.failed, "Could not write \(local).")
                }
                _ = try sftp.upload(local, to: folder.environmentFile)
            }

            // The four values travel in the wrapper's variables; COMMAND refers to them (data in any quoting).
            let command = try JobCommandLine.render(settings.command)
            let script = folder.script(command: command, workingDirectory: settings.workingDirectory, timeoutSeconds: timeoutSeconds,
                                       layout: layout, dataset: dataset, config: configKey, staged: settings.staging == .sftp, sourcesEnvironmentFile: !environment.isEmpty)
            let started = now()
            publisher.update {
                $0.status = .inProgress
                $0.command = JobCommandLine.displayed(command, values: [layout.bucket, dataset, layout.resultPrefix, configKey])
                $0.jobStart = InstanceTags.format(started)
                $0.reason = ["running COMMAND on \(launched.instance.instanceId) (time limit \(Self.minutes(timeoutSeconds)))"]
            }
            publisher.startStreaming(every: streamInterval)
            step = "running COMMAND"
            onStep(step)
            let connection = InstanceConnection(cloud: cloud, keyPair: launched.keyPair)
            let instance = launched.instance
            let sampler = UsageSampler(connect: { try? connection.connect(to: instance, timeout: 10) }, folder: folder,
                                       publisher: publisher, interval: streamInterval)
            sampler.start()
            var sampledPeak = 0
            let exit: SSHExitStatus
            do {
                defer {
                    sampledPeak = sampler.stop()
                    publisher.stopStreaming()
                }
                // The wrapper's `timeout` stops COMMAND; the channel's limit is only a backstop.
                exit = try session.exec(script, timeout: .seconds(timeoutSeconds + 60),
                                        stdout: { publisher.appendStdout($0) }, stderr: { publisher.appendStderr($0) })
            }
            step = "collecting the results"
            onStep(step)
            // Interrupted (Ctrl-C): the cleanup owns what happens next; this thread must not race its exit.
            InterruptCleanup.shared.parkIfInterrupted()
            let elapsed = now().timeIntervalSince(started)
            let localResult = (scratch as NSString).appendingPathComponent("result")
            let result = ((try? sftp.download(folder.resultFile, to: localResult)) != nil)
                ? RemoteResult.parse((try? String(contentsOfFile: localResult, encoding: .utf8)) ?? "") : RemoteResult()
            let code = result.exitCode ?? Int(exit.code)
            var reasons: [String] = []
            var succeeded = false
            if code != 0 || exit.signal != nil, JobCancellation.isCancelled(s3: s3, layout: layout) {
                reasons.append(JobCancellation.reason)
            } else if exit.signal != nil || code == 124 || code == 137, elapsed >= Double(timeoutSeconds) - 1 {
                reasons.append("COMMAND was stopped at its time limit of \(Self.minutes(timeoutSeconds)) (exit code \(code)).")
            } else if let signal = exit.signal {
                reasons.append("COMMAND was killed by signal \(signal).")
            } else if code == 90, result.exitCode == 90, publisher.current.stderr.contains("WORKING_DIRECTORY") {
                reasons.append("WORKING_DIRECTORY \(settings.workingDirectory) does not exist on the instance; is the analysis in the image?")
            } else if code != 0 {
                reasons.append("COMMAND exited with status \(code); see stderr.")
            } else {
                let copied = try copyOutput(sftp: sftp, folder: folder, scratch: scratch)
                reasons.append("COMMAND succeeded; \(copied) result file\(copied == 1 ? "" : "s") copied to \(layout.processResultsPrefix).")
                succeeded = true
            }
            if !succeeded, let sentence = interruption(step, false) { return endInterrupted(sentence) }
            let terminated = release()
            let finished = now()
            publisher.update {
                $0.instanceTerminate = terminated.map(InstanceTags.format)
                $0.status = succeeded ? .success : .failed
                $0.exitCode = code
                $0.reason = reasons
                $0.jobFinish = InstanceTags.format(finished)
                // COMMAND's own CPU (the shell's `times`); the peak memory of the instance's cgroup
                // where it has one, else the highest COMMAND's processes were seen at.
                if let cpu = result.cpuSeconds { $0.cpuUsage = UsageText.cpu(cpu) }
                if let peak = result.peakMemoryBytes ?? (sampledPeak > 0 ? sampledPeak : nil) { $0.memoryUsage = UsageText.memory(peak) }
            }
        } catch {
            InterruptCleanup.shared.parkIfInterrupted()
            publisher.stopStreaming()
            if let sentence = interruption(step, error is SSHError) { return endInterrupted(sentence) }
            let terminated = release()
            let finished = now()
            publisher.update {
                $0.instanceTerminate = terminated.map(InstanceTags.format)
                $0.status = .failed
                $0.reason = [JobCancellation.isCancelled(s3: s3, layout: layout) ? JobCancellation.reason
                             : Self.reason(error, step: step, instance: launched.instance.instanceId)]
                $0.jobFinish = InstanceTags.format(finished)
            }
        }
    }

    /// Copies every file of the output folder to `process_results/`, keeping relative paths.
    private func copyOutput(sftp: SFTPClient, folder: RemoteJobFolder, scratch: String) throws -> Int {
        let local = (scratch as NSString).appendingPathComponent("output")
        _ = try sftp.downloadFolder(folder.outputFolder, to: local)
        var copied = 0
        let base = URL(fileURLWithPath: local).standardizedFileURL.path
        let walker = FileManager.default.enumerator(atPath: base)
        while let relative = walker?.nextObject() as? String {
            let path = (base as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            try s3.uploadFile(path, bucket: layout.bucket, key: layout.processResultsPrefix + relative)
            copied += 1
        }
        return copied
    }

    /// One sentence for an error while `step` ran (an SSH error's own message, not the whole script).
    static func reason(_ error: Error, step: String, instance: String) -> String {
        let detail = (error as? SSHError).map { $0.message } ?? "\(error)"
        return "Failed while \(step) on \(instance): \(detail.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))."
    }

    static func minutes(_ seconds: Int) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}

extension DatasetRun {
    /// Ends this attempt INTERRUPTED with `sentence`, releasing its instance (the dataset is run again
    /// or ends FAILED: `DatasetAttempts` decides).
    func endInterrupted(_ sentence: String) {
        let terminated = release()
        let finished = now()
        publisher.update {
            $0.instanceTerminate = terminated.map(InstanceTags.format)
            $0.status = .interrupted
            $0.reason = [sentence]
            $0.jobFinish = InstanceTags.format(finished)
        }
    }
}

import AWS
import DevAMI
import Foundation
import SSH
import Support

/// One dataset on its own instance: stage the dataset and the config over SFTP (unless staging is
/// direct: COMMAND then reads them from S3 itself), run COMMAND as `ncaas.jobs.user` (root by
/// default) with the output streamed into the status file and its shutdowns recorded, not carried
/// out (`PowerShims`), copy the output folder to `process_results/`, count what COMMAND wrote there
/// itself, and end with SUCCESS or FAILED and a reason. Never throws: every failure is the
/// dataset's status.
struct DatasetRun {
    var dataset: String
    var configKey: String
    /// The config, already downloaded by the manager.
    var configFile: String
    /// COMMAND's limit (the config's `__duration__`, else SSM_TIMEOUT).
    var timeoutSeconds: Int
    var settings: JobSettings
    var layout: JobLayout
    var s3: S3Client
    var publisher: StatusPublisher
    var streamInterval: Double
    /// When the launcher's own limit (EXECUTION_TIMEOUT) passes: COMMAND must have started by then.
    var launchDeadline: Date?
    /// The keys ncaas copied to `process_results/` from every dataset of the job (shared), so what
    /// COMMAND wrote there itself is counted apart.
    var copiedByNCAAS = LockedValue<Set<String>>([])
    /// Every dataset of the job (to tell apart the results COMMAND writes for each).
    var jobDatasets: [String] = []
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
        let instanceId = launched.instance.instanceId
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
            if let launchDeadline, now() > launchDeadline {
                finishFailed("The launcher's own limit, EXECUTION_TIMEOUT (\(Self.seconds(settings.launchTimeoutSeconds))), passed before COMMAND could start on \(instanceId); raise EXECUTION_TIMEOUT if instances take longer to be ready.")
                return
            }

            // The four values travel in the wrapper's variables; COMMAND refers to them (data in any quoting).
            let command = try JobCommandLine.render(settings.command)
            let script = folder.script(command: command, workingDirectory: settings.workingDirectory, timeoutSeconds: timeoutSeconds,
                                       layout: layout, dataset: dataset, config: configKey, staged: settings.staging == .sftp, user: settings.commandUser)
            // What process_results/ held before COMMAND: what it holds after, new or changed, COMMAND wrote.
            let resultsBefore = settings.staging == .direct ? try? ResultListing.read(s3: s3, layout: layout) : nil
            let started = now()
            publisher.update {
                $0.status = .inProgress
                $0.command = JobCommandLine.displayed(command, values: [layout.bucket, dataset, layout.resultPrefix, configKey])
                $0.jobStart = InstanceTags.format(started)
                $0.reason = ["running COMMAND as \(settings.commandUser) on \(instanceId) (time limit \(Self.minutes(timeoutSeconds)))"]
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
            let result = RemoteResult.parse(download(folder.resultFile, sftp: sftp, scratch: scratch) ?? "")
            let powerRequests = PowerShims.requests(in: download(folder.powerLogFile, sftp: sftp, scratch: scratch) ?? "")
            let code = result.exitCode ?? Int(exit.code)
            var reasons: [String] = []
            var succeeded = false
            var written = 0, copied = 0
            if code != 0 || exit.signal != nil, JobCancellation.isCancelled(s3: s3, layout: layout) {
                reasons.append(JobCancellation.reason)
            } else if exit.signal != nil || code == 124 || code == 137, elapsed >= Double(timeoutSeconds) - 1 {
                reasons.append("COMMAND was stopped at its time limit of \(Self.minutes(timeoutSeconds)) (exit code \(code)).")
            } else if let signal = exit.signal {
                reasons.append("COMMAND was killed by signal \(signal).")
            } else if let sentence = wrapperSentence(code: code, result: result) {
                reasons.append(sentence)
            } else if code != 0 {
                reasons.append("COMMAND exited with status \(code); see stderr.")
            } else {
                if let before = resultsBefore, let after = try? ResultListing.read(s3: s3, layout: layout) {
                    written = after.changed(since: before, copiedByNCAAS: copiedByNCAAS.value, dataset: dataset, jobDatasets: jobDatasets)
                }
                copied = try copyOutput(sftp: sftp, folder: folder, scratch: scratch)
                succeeded = true
            }
            if !succeeded, let sentence = interruption(step, false) { return endInterrupted(sentence) }
            let terminated = release()
            if succeeded { reasons.append(ResultListing.sentence(written: written, copied: copied, layout: layout)) }
            if !powerRequests.isEmpty { reasons[reasons.count - 1] += " " + Self.powerSentence(powerRequests, terminated: terminated != nil) }
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
            let reason: String
            if JobCancellation.isCancelled(s3: s3, layout: layout) {
                reason = JobCancellation.reason
            } else if (error as? SSHError) != nil, let ended = InstanceEnd.sentence(instanceId: instanceId, cloud: cloud) {
                reason = ended
            } else {
                reason = Self.reason(error, step: step, instance: instanceId)
            }
            finishFailed(reason)
        }
    }

    /// Ends the dataset FAILED with `reason`, releasing its instance.
    private func finishFailed(_ reason: String) { end(.failed, reason) }

    /// Ends this attempt in `state` with `reason`, releasing its instance first (so its termination
    /// time is in the final status).
    private func end(_ state: DatasetStatus.State, _ reason: String) {
        let terminated = release()
        let finished = now()
        publisher.update {
            $0.instanceTerminate = terminated.map(InstanceTags.format)
            $0.status = state
            $0.reason = [reason]
            $0.jobFinish = InstanceTags.format(finished)
        }
    }

    /// The sentence for the wrapper's own exit statuses (COMMAND could not start), nil for COMMAND's.
    private func wrapperSentence(code: Int, result: RemoteResult) -> String? {
        guard result.exitCode == code else { return nil }
        let stderr = publisher.current.stderr
        switch code {
        case RemoteJobFolder.WrapperStatus.noWorkingDirectory where stderr.contains("WORKING_DIRECTORY"):
            return "WORKING_DIRECTORY \(settings.workingDirectory) does not exist on the instance; is the analysis in the image?"
        case RemoteJobFolder.WrapperStatus.noSuchUser where stderr.contains("ncaas.jobs.user"):
            return "ncaas.jobs.user \(settings.commandUser) does not exist on the instance: create it in the image (setup.sh) or run COMMAND as root (remove ncaas.jobs.user)."
        case RemoteJobFolder.WrapperStatus.noSudo where stderr.contains("sudo"):
            return "COMMAND must run as \(settings.commandUser), but the login user may not use sudo without a password on the instance; allow it in the image, or set ncaas.jobs.user to the login user."
        default:
            return nil
        }
    }

    /// "Its `shutdown -h now` was recorded, not carried out: ncaas terminated the instance itself."
    static func powerSentence(_ requests: [String], terminated: Bool) -> String {
        let shown = requests.map { "`\($0)`" }.joined(separator: ", ")
        return "COMMAND's \(shown) \(requests.count == 1 ? "was" : "were") recorded, not carried out: "
            + (terminated ? "ncaas terminated the instance itself." : "the instance was left running.")
    }

    /// The text of the remote `path`, or nil when it cannot be read.
    private func download(_ path: String, sftp: SFTPClient, scratch: String) -> String? {
        let local = (scratch as NSString).appendingPathComponent(UUID().uuidString)
        guard (try? sftp.download(path, to: local)) != nil else { return nil }
        return try? String(contentsOfFile: local, encoding: .utf8)
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
            let key = layout.processResultsPrefix + relative
            copiedByNCAAS.withLock { _ = $0.insert(key) }
            try s3.uploadFile(path, bucket: layout.bucket, key: key)
            copied += 1
        }
        return copied
    }

    /// One sentence for an error while `step` ran (an SSH error's own message, not the whole script).
    static func reason(_ error: Error, step: String, instance: String) -> String {
        let detail = (error as? SSHError).map { $0.message } ?? "\(error)"
        return "Failed while \(step) on \(instance): \(detail.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))."
    }

    /// A limit in seconds as written in messages: whole minutes, whole seconds, or the number as given.
    static func seconds(_ value: Double) -> String {
        value.rounded() == value && value < 1e9 ? minutes(Int(value)) : "\(value) s"
    }

    static func minutes(_ seconds: Int) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}

extension DatasetRun {
    /// Ends this attempt INTERRUPTED with `sentence`, releasing its instance (the dataset is run again
    /// or ends FAILED: `DatasetAttempts` decides).
    func endInterrupted(_ sentence: String) { end(.interrupted, sentence) }
}

import AWS
import DevAMI
import Foundation
import Support

/// Runs one submission, the one code path `ncaas test-job` and `ncaas jobs serve` use:
///
/// 1. check the submission (every key exists), write the certificate and an INITIALIZING status
///    file per dataset, take the job's lease, run the start hook;
/// 2. check capacity and budget, then launch one instance per dataset in one RunInstances call
///    (role `job`, tagged with the group, the job and its dataset, shutdown behaviour terminate,
///    a deadline past the longest time limit), or use `existingInstance`;
/// 3. on each instance at once: stage, run COMMAND, stream the status, copy the results;
/// 4. terminate every instance launched, run the success or failure hook, write `end.txt` and the
///    certificate's last lines.
///
/// Instances are terminated on success, failure, timeout and error, and on Ctrl-C (the interrupt
/// cleanup marks the unfinished datasets FAILED). Problems after step 1 never throw: they are the
/// datasets' FAILED statuses, so the report always says what happened to each dataset.
public struct JobManager {
    /// What the manager reports as it goes (for a terminal).
    public struct Observer: Sendable {
        public var progress: @Sendable (String) -> Void
        /// A dataset's status changed (called from the dataset's thread).
        public var status: @Sendable (String, DatasetStatus) -> Void
        public init(progress: @escaping @Sendable (String) -> Void = { _ in }, status: @escaping @Sendable (String, DatasetStatus) -> Void = { _, _ in }) {
            self.progress = progress
            self.status = status
        }
    }

    public var cloud: DevCloud
    public var s3: S3Client
    public var settings: JobSettings
    public var observer: Observer
    /// How often stdout/stderr tails are written while COMMAND runs, in seconds.
    public var streamInterval: Double = 2
    /// Time after the longest dataset limit before an instance's own watchdog shuts it down.
    public var deadlineMargin: TimeInterval = 600
    /// How often the job's lease (`logs/ncaas-manager.json`) is rewritten while it runs, in seconds.
    public var leaseInterval: Double = JobManager.defaultLeaseInterval
    public static let defaultLeaseInterval: Double = 10
    /// The blueprint's local hooks (on start, success, failure).
    public var hooks = JobHooks()
    /// Run every dataset on this running instance instead of launching (RAMP's reuse; `test-job
    /// --dev` or `--instance-id`): no capacity or budget check, and the instance is left running.
    public var existingInstance: Instance?
    /// The job's lease when the caller has claimed it already (`ManagerLease.claim`); else `run`
    /// claims it, and refuses a job another manager holds.
    public var claimedLease: ManagerLease?
    /// Security groups for the job's instances instead of `ncaas-ssh` (the in-stack manager's).
    public var jobSecurityGroupIds: [String]?
    /// How often a spot instance's metadata is asked for an interruption notice, in seconds (AWS
    /// suggests five).
    public var spotNoticeInterval: Double = 5

    public init(cloud: DevCloud, s3: S3Client, settings: JobSettings, observer: Observer = Observer()) {
        self.cloud = cloud
        self.s3 = s3
        self.settings = settings
        self.observer = observer
    }

    /// Runs `submit` for `group`. Throws only when the submission itself is refused in step 1
    /// (nothing launched, the reason in the certificate); otherwise returns each dataset's end.
    public func run(_ submit: SubmitFile, group: String) throws -> JobReport {
        let started = cloud.now()
        // The launcher's own limit (EXECUTION_TIMEOUT): COMMAND must be running on every instance by then.
        let launchDeadline = started.addingTimeInterval(settings.launchTimeoutSeconds)
        let layout = JobLayout(bucket: settings.bucket, analysis: settings.analysis, group: group, timestamp: submit.timestamp)
        let certificate = Certificate(layout: layout, datanames: submit.datanames, configname: submit.configname, now: started)
        let writer = CertificateWriter { _ = try? s3.putObject(bucket: layout.bucket, key: layout.certificateKey, data: Data(certificate.text.utf8), contentType: "text/plain") }
        let publishCertificate = { writer.now() }
        do {
            try SubmissionReferences.check(submit, bucket: layout.bucket, group: group, analysis: settings.analysis, s3: s3)
        } catch {
            certificate.append("STEP 1/4 (Initialization): FAILED: \(error)")
            certificate.append("STEP 4/4 (Job Finished): nothing was launched.")
            publishCertificate()
            throw error
        }
        let lease = claimedLease ?? ManagerLease(s3: s3, layout: layout)
        if claimedLease == nil, case .held(let heartbeat) = try lease.claim(interval: leaseInterval, now: cloud.now()) {
            throw JobError(.refused, "Another job manager is running \(layout.jobName)\(heartbeat.map { " (its lease was renewed at \(InstanceTags.format($0)))" } ?? ""); nothing was launched.")
        }
        lease.start(every: leaseInterval)
        defer { lease.stop() }
        let instanceType = submit.instanceType ?? settings.instanceType
        let observer = self.observer
        let publishers = submit.datanames.map { dataset in
            StatusPublisher(status: DatasetStatus(status: .initializing, input: dataset, instanceType: instanceType), s3: s3,
                            bucket: layout.bucket, key: layout.statusKey(dataset: dataset)) { status in
                certificate.setDataset(dataset, status)
                writer.soon()
                observer.status(dataset, status)
            }
        }
        certificate.append("STEP 1/4 (Initialization): submission checked: \(submit.datanames.count) dataset\(submit.datanames.count == 1 ? "" : "s"), config \(submit.configname).")
        publishCertificate()
        if let problem = hooks.run(.start, layout: layout, datasets: submit.datanames) { certificate.append("NOTE: \(problem)") }
        for publisher in publishers { publisher.update { $0.reason = ["waiting for an instance"] } }

        var launchedIds: [String] = []
        var terminatedIds: Set<String> = []
        let idsLock = NSLock()
        let failUnfinished = { (reason: String) in
            for publisher in publishers where !publisher.current.status.isFinal {
                publisher.stopStreaming()
                publisher.update { $0.status = .failed; $0.reason.append(reason); $0.jobFinish = InstanceTags.format(Date()) }
            }
        }
        let cloud = self.cloud
        let existing = existingInstance
        let cleanup = {
            idsLock.lock(); let ids = launchedIds; idsLock.unlock()
            failUnfinished(existing == nil ? "The job was interrupted; its instances were terminated." : "The job was interrupted.")
            certificate.append(existing == nil ? "STEP 4/4 (Job Finished): interrupted; instances terminated." : "STEP 4/4 (Job Finished): interrupted.")
            publishCertificate()
            try? cloud.terminate(ids)
        }
        return InterruptCleanup.shared.guarding(cleanup) {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-job-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            do {
                // The config: its `__duration__` sets each dataset's limit; staged from this copy.
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                let configFile = (scratch as NSString).appendingPathComponent("config")
                let info = try s3.getObject(bucket: layout.bucket, key: submit.configname, toFile: configFile)
                let configData = info.contentLength <= 1_000_000 ? (FileManager.default.contents(atPath: configFile) ?? Data()) : Data()
                // COMMAND's limit: the config's `__duration__` (minutes), else SSM_TIMEOUT (seconds), as in NeuroCAAS.
                let duration = try ConfigDuration.minutes(in: configData, key: submit.configname)
                let timeoutSeconds = max(1, Int((duration.map { $0 * 60 } ?? settings.commandTimeoutSeconds).rounded()))
                let limitSource = duration == nil ? "SSM_TIMEOUT" : "the config's __duration__"
                let instanceProfile = settings.staging == .direct ? try JobInstanceProfile.find(analysis: settings.analysis, cloud: cloud) : nil

                let hosts: [Result<DatasetHost, Error>]
                var firstMarket = InstanceMarket.onDemand
                if let existing {
                    hosts = try DatasetHost.onExisting(existing, count: submit.datanames.count, cloud: cloud)
                    for publisher in publishers {
                        publisher.update { $0.instance = existing.instanceId; $0.instanceType = existing.instanceType; $0.reason = ["on the running instance \(existing.instanceId)"] }
                    }
                    certificate.append("STEP 2/4 (Compute Setup): every dataset on the running instance \(existing.instanceId), which is left running.")
                } else {
                    let launched = try launch(submit, layout: layout, instanceType: instanceType, timeoutSeconds: timeoutSeconds, readyBy: launchDeadline,
                                              instanceProfile: instanceProfile, publishers: publishers, note: { certificate.append("NOTE: \($0)") }) { ids in
                        idsLock.lock(); launchedIds += ids; idsLock.unlock()
                    }
                    hosts = launched.hosts
                    firstMarket = launched.market
                    let profile = instanceProfile.map { " with the instance profile \($0)" } ?? ""
                    let market = settings.market == .onDemand ? "" : ", \(launched.market == .spot ? "on spot" : "on-demand") (ncaas.jobs.market \(settings.market.rawValue))"
                    idsLock.lock(); let ids = launchedIds; idsLock.unlock()
                    certificate.append("STEP 2/4 (Compute Setup): \(hosts.count) × \(instanceType) launched in one request\(market)\(profile): \(ids.joined(separator: ", ")).")
                }
                let home = settings.commandUser == "root" ? "/root" : "~\(settings.commandUser)"
                let ending = existing == nil ? "ncaas terminates the instances itself" : "the instance is left running"
                certificate.append("STEP 3/4 (Analysis Running): COMMAND runs as \(settings.commandUser) (HOME \(home); ncaas.jobs.user chooses) in \(settings.workingDirectory), time limit \(DatasetRun.minutes(timeoutSeconds)) per dataset (\(limitSource)); a shutdown COMMAND asks for is recorded, not carried out: \(ending).")
                writer.soon()
                let now = cloud.now
                let copiedByNCAAS = LockedValue<Set<String>>([])
                let marketUsed = firstMarket
                EachOnItsOwnThread.run(hosts.count) { index in
                    let publisher = publishers[index]
                    let dataset = submit.datanames[index]
                    let attempts = DatasetAttempts(
                        dataset: dataset, market: settings.market, publisher: publisher, cloud: cloud, noticeInterval: spotNoticeInterval,
                        note: { certificate.append($0); writer.soon() },
                        makeRun: { launched in
                            let id = launched.instance.instanceId
                            var run = DatasetRun(dataset: dataset, configKey: submit.configname, configFile: configFile,
                                                 timeoutSeconds: timeoutSeconds, settings: settings, layout: layout, s3: s3, publisher: publisher,
                                                 streamInterval: streamInterval, launchDeadline: existing == nil ? launchDeadline : nil,
                                                 copiedByNCAAS: copiedByNCAAS, jobDatasets: submit.datanames, now: now, cloud: cloud)
                            // This dataset is done: its instance goes now, not when the slowest one ends.
                            run.release = {
                                guard existing == nil, (try? cloud.terminate([id])) != nil else { return nil }
                                idsLock.lock(); terminatedIds.insert(id); idsLock.unlock()
                                return now()
                            }
                            return run
                        },
                        relaunch: { market in
                            try relaunch(dataset: dataset, market: market, layout: layout, instanceType: instanceType, timeoutSeconds: timeoutSeconds,
                                         instanceProfile: instanceProfile, publisher: publisher) { id in
                                idsLock.lock(); launchedIds.append(id); idsLock.unlock()
                            }
                        },
                        cancelled: { JobCancellation.isCancelled(s3: s3, layout: layout) },
                        unreachable: { Self.launcherSentence("The instance did not become reachable: \($0)", deadline: launchDeadline, settings: settings, now: now()) })
                    attempts.run(first: hosts[index], firstMarket: existing == nil ? marketUsed : .onDemand)
                    InterruptCleanup.shared.parkIfInterrupted()
                }
                _ = try? s3.uploadFile(configFile, bucket: layout.bucket, key: layout.processResultsPrefix + JobLayout.basename(submit.configname))
            } catch {
                failUnfinished(Self.launcherSentence("\(error)", deadline: launchDeadline, settings: settings, now: cloud.now()))
            }
            idsLock.lock(); let ids = launchedIds; let remaining = launchedIds.filter { !terminatedIds.contains($0) }; idsLock.unlock()
            // Never claim an instance is terminated when the call failed: say which are left and why.
            var leftRunning: [String] = []
            var terminateFailure: String?
            if !remaining.isEmpty {
                do { try cloud.terminate(remaining) } catch {
                    leftRunning = remaining
                    terminateFailure = "\(error)"
                }
            }
            let statuses = publishers.map(\.current)
            let succeeded = statuses.filter { $0.status == .success }.count
            let counts = (succeeded: succeeded, failed: statuses.count - succeeded)
            if let problem = hooks.run(counts.failed == 0 ? .success : .failure, layout: layout, datasets: submit.datanames, counts: counts) {
                certificate.append("NOTE: \(problem)")
            }
            let finished = cloud.now()
            let spend = JobSpend(statuses: statuses, defaultType: instanceType)
            _ = try? s3.putObject(bucket: layout.bucket, key: layout.spendKey, data: spend.json, contentType: "application/json")
            _ = try? s3.putObject(bucket: layout.bucket, key: layout.endKey, data: Data("\(InstanceTags.format(finished))\n".utf8), contentType: "text/plain")
            let instances = existing.map { "the instance \($0.instanceId) was left running" }
                ?? (leftRunning.isEmpty ? "every instance was terminated by ncaas" : JobReport.leftRunningSentence(leftRunning, reason: terminateFailure ?? ""))
            certificate.append("STEP 4/4 (Job Finished): \(succeeded) of \(statuses.count) dataset\(statuses.count == 1 ? "" : "s") succeeded in \(String(format: "%.1f", finished.timeIntervalSince(started))) s; \(instances).")
            publishCertificate()
            return JobReport(layout: layout, datasets: zip(submit.datanames, statuses).map { JobReport.Dataset(key: $0, status: $1) },
                             instanceIds: ids, seconds: finished.timeIntervalSince(started), leftRunning: leftRunning,
                             terminateFailure: terminateFailure)
        }
    }

    /// `sentence`, said as the launcher's limit (EXECUTION_TIMEOUT) when that has passed: what ended the wait.
    static func launcherSentence(_ sentence: String, deadline: Date, settings: JobSettings, now: Date) -> String {
        guard now >= deadline else { return sentence }
        return "The launcher's own limit, EXECUTION_TIMEOUT (\(DatasetRun.seconds(settings.launchTimeoutSeconds))), passed before COMMAND could start "
            + "(\(sentence.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))); raise EXECUTION_TIMEOUT if instances take longer to be ready."
    }

    /// One instance per dataset in one RunInstances call (capacity and budget checked first),
    /// each tagged with its dataset; `onIds` gets the ids as soon as they exist. In the spot markets a
    /// launch EC2 refuses for want of spot capacity is made once more, on-demand for
    /// `spot-then-on-demand` or on spot again for `spot` (`note` says so); the market used is returned.
    private func launch(_ submit: SubmitFile, layout: JobLayout, instanceType: String, timeoutSeconds: Int, readyBy: Date, instanceProfile: String?,
                        publishers: [StatusPublisher], note: (String) -> Void,
                        onIds: @escaping ([String]) -> Void) throws -> (hosts: [Result<DatasetHost, Error>], market: InstanceMarket) {
        let limits = JobLimits(settings: settings, ec2: cloud.ec2, s3: s3)
        try limits.checkCapacity(count: submit.datanames.count)
        try limits.checkBudget(layout: layout, count: submit.datanames.count, instanceType: instanceType, timeoutSeconds: timeoutSeconds,
                               market: settings.market.first)
        var request = try jobRequest(layout: layout, instanceType: instanceType, timeoutSeconds: timeoutSeconds, instanceProfile: instanceProfile)
        request.readyBy = readyBy
        let cloud = self.cloud
        let imageId = request.imageId
        let onLaunched = { (instances: [Instance], market: InstanceMarket) throws in
            onIds(instances.map(\.instanceId))
            for (instance, dataset) in zip(instances, submit.datanames) {
                try cloud.ec2.createTags(resourceIds: [instance.instanceId], tags: [Tag(key: JobTags.dataset, value: JobTags.value(dataset))])
            }
            for (publisher, instance) in zip(publishers, instances) {
                publisher.update {
                    $0.instance = instance.instanceId
                    $0.market = market
                    $0.instanceLaunch = InstanceTags.format(cloud.now())
                    $0.reason = ["launched \(instance.instanceId) from \(imageId)\(market == .spot ? " on spot" : ""), waiting for SSH"]
                }
            }
        }
        let launcher = InstanceLauncher(cloud: cloud, progress: observer.progress)
        request.market = settings.market.first
        let results: [Result<InstanceLauncher.Launched, Error>]
        do {
            results = try launcher.launch(request, count: submit.datanames.count) { try onLaunched($0, request.market) }
        } catch let error as AWSError where request.market == .spot && EC2Client.capacityCodes.contains(error.code) {
            let fallback = settings.market.fallback
            note("EC2 had no spot capacity for \(submit.datanames.count) × \(instanceType) (\(error.code)); launching \(fallback == .spot ? "on spot once more" : "on-demand instead") (ncaas.jobs.market \(settings.market.rawValue)).")
            request.market = fallback
            do {
                results = try launcher.launch(request, count: submit.datanames.count) { try onLaunched($0, request.market) }
            } catch let again as AWSError where EC2Client.capacityCodes.contains(again.code) {
                throw JobError(.unavailable, "EC2 had no \(fallback.rawValue) capacity for \(submit.datanames.count) × \(instanceType) twice (\(again.code)); nothing runs. Submit the job again later, choose another INSTANCE_TYPE, or set ncaas.jobs.market to \"spot-then-on-demand\".")
            }
        }
        return (results.map { $0.map { DatasetHost(instance: $0.instance, keyPair: $0.keyPair, session: $0.session) } }, request.market)
    }

    /// What every instance of the job is launched with (role `job`, tagged with the job, shutdown
    /// behaviour terminate, a deadline past the time limit).
    private func jobRequest(layout: JobLayout, instanceType: String, timeoutSeconds: Int, instanceProfile: String?) throws -> InstanceLauncher.Request {
        let imageId = try ImageReference.resolve(settings.image, on: cloud.ec2)
        var request = InstanceLauncher.Request(analysis: settings.analysis, role: .job, imageId: imageId, instanceType: instanceType,
                                               lifetime: Double(timeoutSeconds) + settings.launchTimeoutSeconds + deadlineMargin, shutdownBehavior: "terminate",
                                               extraTags: JobTags.shared(layout) + [Tag(key: InstanceTags.name, value: "ncaas-\(settings.analysis)-job")])
        request.instanceProfileName = instanceProfile
        request.loginUser = settings.loginUser
        request.subnetId = settings.subnetId
        request.securityGroupIds = jobSecurityGroupIds
        return request
    }

    /// One instance for `dataset`'s second attempt (after an interruption), in `market`, tagged and
    /// recorded as the job's first ones were; `onId` gets its id as soon as it exists.
    private func relaunch(dataset: String, market: InstanceMarket, layout: JobLayout, instanceType: String, timeoutSeconds: Int,
                          instanceProfile: String?, publisher: StatusPublisher, onId: @escaping (String) -> Void) throws -> DatasetHost {
        var request = try jobRequest(layout: layout, instanceType: instanceType, timeoutSeconds: timeoutSeconds, instanceProfile: instanceProfile)
        request.market = market
        request.extraTags.append(Tag(key: JobTags.dataset, value: JobTags.value(dataset)))
        let cloud = self.cloud
        let launched = try InstanceLauncher(cloud: cloud, progress: observer.progress).launch(request) { instance in
            onId(instance.instanceId)
            publisher.update {
                $0.instance = instance.instanceId
                $0.market = market
                $0.instanceLaunch = InstanceTags.format(cloud.now())
                $0.reason = ["attempt 2 of 2: launched \(instance.instanceId) from \(request.imageId)\(market == .spot ? " on spot" : ""), waiting for SSH"]
            }
        }
        return DatasetHost(instance: launched.instance, keyPair: launched.keyPair, session: launched.session)
    }
}

/// How a job ended: each dataset's final status.
public struct JobReport: Sendable {
    public struct Dataset: Sendable {
        public var key: String
        public var status: DatasetStatus
    }

    public var layout: JobLayout
    public var datasets: [Dataset]
    /// Every instance the job launched (terminated unless named in `leftRunning`).
    public var instanceIds: [String]
    public var seconds: Double
    /// Instances the job launched whose TerminateInstances failed (they stop themselves at their deadline).
    public var leftRunning: [String] = []
    /// Why they could not be terminated.
    public var terminateFailure: String?

    /// True when every dataset succeeded.
    public var succeeded: Bool { datasets.allSatisfy { $0.status.status == .success } }

    /// SUCCESS or FAILED, as `ncaas jobs status` says it.
    public var state: JobRecord.State { succeeded ? .success : .failed }

    /// What the certificate and the command say about instances left running.
    public static func leftRunningSentence(_ ids: [String], reason: String) -> String {
        "\(ids.joined(separator: ", ")) could not be terminated (\(reason.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))): \(ids.count == 1 ? "it stops itself" : "they stop themselves") at \(ids.count == 1 ? "its" : "their") deadline, and `ncaas gc` terminates \(ids.count == 1 ? "it" : "them") now"
    }
}

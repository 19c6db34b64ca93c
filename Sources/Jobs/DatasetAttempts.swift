import AWS
import DevAMI
import Foundation
import SSH
import Support

/// One dataset's attempts. On-demand, it runs once, as always. On spot, a `SpotWatch` watches the
/// instance from before staging to the end; when the attempt ends INTERRUPTED (a notice, or EC2
/// reclaimed the instance) the dataset is run again once on a new instance (spot again for `spot`,
/// on-demand for `spot-then-on-demand`), launched only once the interrupted instance is terminated,
/// so a dataset never runs twice at once. A second interruption ends it FAILED with both reasons.
/// Each attempt stays in the status file (`attempts`) and in the certificate.
struct DatasetAttempts {
    var dataset: String
    var market: JobMarket
    var publisher: StatusPublisher
    var cloud: DevCloud
    /// How often the watch asks the instance's metadata, in seconds.
    var noticeInterval: Double
    /// Adds a line to the certificate.
    var note: (String) -> Void
    /// The run of one attempt on `host` (its `release` terminating that host's instance).
    var makeRun: (DatasetHost) -> DatasetRun
    /// Launches one instance for the dataset in a market, tagged and recorded like the job's, SSH-ready.
    var relaunch: (InstanceMarket) throws -> DatasetHost
    /// Whether the job was cancelled (`ncaas jobs cancel`): then nothing is launched again.
    var cancelled: () -> Bool = { false }
    /// What the dataset's reason says when its instance never became reachable (the job's launcher
    /// limit, EXECUTION_TIMEOUT, names itself when it is what ended the wait).
    var unreachable: (Error) -> String = { "The instance did not become reachable: \($0)" }

    /// Runs the dataset from its first host, launched in `firstMarket`.
    func run(first: Result<DatasetHost, Error>, firstMarket: InstanceMarket) {
        var host = first
        var instanceMarket = firstMarket
        for attempt in 1...2 {
            runOnce(host, market: instanceMarket)
            let ended = publisher.current
            guard ended.status == .interrupted else { return }
            if attempt == 2 {
                publisher.update {
                    $0.status = .failed
                    $0.reason.append("It was interrupted a second time; ncaas runs a dataset again only once, so it ends FAILED. Submit it again, or set ncaas.jobs.market to \"spot-then-on-demand\" so that the second attempt runs on-demand.")
                }
                note("RETRY: \(dataset) was interrupted again on \(ended.instance); it ends FAILED.")
                return
            }
            if cancelled() {
                publisher.update { $0.status = .failed; $0.reason.append(JobCancellation.reason) }
                return
            }
            let next = market.fallback
            note("RETRY: \(dataset) was interrupted on its spot instance \(ended.instance); it runs again on a new \(next.rawValue) instance.")
            // Never twice at once: the next attempt starts only once the interrupted instance is gone.
            if !ended.instance.isEmpty,
               (try? cloud.ec2.waitForInstances([ended.instance], toBe: .terminated, policy: WaiterPolicy(maxDelay: 5, timeout: 600))) == nil {
                publisher.update {
                    $0.status = .failed
                    $0.reason.append("The interrupted instance \(ended.instance) did not end within 10 minutes, so the dataset was not run again (it must never run twice at once); `ncaas gc` terminates the instance.")
                }
                return
            }
            publisher.startAttempt {
                $0.market = next
                $0.reason = ["attempt 2 of 2: launching a new \(next.rawValue) instance after the interruption"]
            }
            host = Result { try relaunch(next) }
            instanceMarket = next
        }
    }

    /// One attempt on `host`; ends with the dataset SUCCESS, FAILED or INTERRUPTED.
    private func runOnce(_ host: Result<DatasetHost, Error>, market instanceMarket: InstanceMarket) {
        let now = cloud.now
        switch host {
        case .failure(let error):
            // The launcher has terminated it. A spot instance may have been reclaimed before SSH answered.
            let instance = publisher.current.instance
            let reclaimed = instanceMarket == .spot && !instance.isEmpty
                ? SpotNotice.reclaimReason(instanceId: instance, cloud: cloud, wait: 0) : nil
            publisher.update {
                $0.status = reclaimed == nil ? .failed : .interrupted
                $0.reason = [reclaimed.map { "The spot instance \(instance) was interrupted while starting: EC2 reclaimed it (\($0))." }
                             ?? unreachable(error)]
                $0.jobFinish = InstanceTags.format(now()); $0.instanceTerminate = $0.jobFinish
            }
        case .success(let launched):
            var run = makeRun(launched)
            guard instanceMarket == .spot else { return run.run(on: launched) }
            let id = launched.instance.instanceId
            let connection = InstanceConnection(cloud: cloud, keyPair: launched.keyPair)
            let instance = launched.instance
            let cloud = self.cloud
            let watch = SpotWatch(instanceId: id, cloud: cloud, interval: noticeInterval,
                                  connect: { try? connection.connect(to: instance, timeout: 10) },
                                  endInstance: { _ = try? cloud.terminate([id]) })
            watch.enter("starting, before its dataset was staged")
            if watch.checkNow(on: launched.session) {
                // Told before anything was staged: nothing to save on this instance.
                run.endInterrupted(watch.sentence(step: "starting", lostConnection: false) ?? "The spot instance \(id) was interrupted before its dataset was staged.")
                return
            }
            let publisher = self.publisher
            run.onStep = { step in
                watch.enter(step)
                // Where the attempt is, for a reader of the status file (the step an interruption would name).
                if step == SpotWatch.collecting { publisher.update { $0.reason = ["COMMAND ended; collecting the results from \(id)"] } }
                if step == SpotWatch.staging { publisher.update { $0.reason = ["staging the dataset and config on \(id)"] } }
            }
            run.interruption = { watch.sentence(step: $0, lostConnection: $1) }
            watch.start()
            run.run(on: launched)
            watch.stop()
            if watch.noticeWhileCollecting, publisher.current.status == .success {
                note("NOTE: \(dataset)'s spot instance \(id) got an interruption notice while its results were copied; every result was copied before EC2 reclaimed it.")
            }
        }
    }
}

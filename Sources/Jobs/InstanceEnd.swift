import AWS
import DevAMI
import Foundation

/// Why a dataset's instance went away while COMMAND ran, as EC2 tells it: a shutdown from inside
/// (one the power shims do not intercept: an absolute path such as `/sbin/poweroff`, a kernel panic,
/// the deadline watchdog) or a termination from outside (`ncaas gc`, the console). A lost SSH
/// connection to an instance that still runs is not this: it stays the transport's error.
enum InstanceEnd {
    /// A sentence when `instanceId` is no longer running, waiting up to `wait` seconds for EC2 to say
    /// so (its state changes a moment after the machine stops); nil while it runs.
    static func sentence(instanceId: String, cloud: DevCloud, wait: TimeInterval = 20) -> String? {
        let deadline = Date().addingTimeInterval(wait)
        var delay = 0.2
        while true {
            if let instance = try? cloud.describe([instanceId]).first, let state = instance.stateName, state != .running, state != .pending {
                return sentence(instanceId: instanceId, state: state, reason: instance.stateReason)
            }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 2)
        }
    }

    static func sentence(instanceId: String, state: InstanceStateName, reason: String?) -> String {
        let ec2 = reason.map { " (EC2: \($0))" } ?? ""
        if reason?.contains("InstanceInitiatedShutdown") == true {
            return "The instance \(instanceId) shut itself down while COMMAND ran\(ec2), so COMMAND did not finish: something ncaas does not intercept powered it off "
                + "(a shutdown by absolute path such as /sbin/poweroff, a kernel panic, the deadline watchdog). ncaas terminates job instances itself once COMMAND ends, "
                + "so COMMAND need not shut down."
        }
        let what = state == .terminated || state == .shuttingDown ? "was terminated" : "was stopped"
        return "The instance \(instanceId) \(what) while COMMAND ran\(ec2), so COMMAND did not finish."
    }
}

import AWS
import DevAMI
import Foundation

/// A spot interruption notice, as EC2 posts it in the instance's metadata two minutes before it
/// reclaims the instance (`meta-data/spot/instance-action`: `{"action": "terminate", "time": ...}`).
struct SpotNotice: Sendable, Equatable {
    /// What EC2 will do: "terminate" for ncaas's one-time spot requests.
    var action: String
    /// When, as EC2 wrote it (ISO 8601 UTC).
    var time: String

    /// Asks the instance's metadata service (IMDSv2) for a notice, from inside the instance: prints
    /// the notice's JSON, or nothing when there is none (404) or the service does not answer. The
    /// service's address is `AWS_EC2_METADATA_SERVICE_ENDPOINT` where set (the local cloud), else EC2's.
    static let script = """
        m="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254/}"; m="${m%/}"
        t=$(curl -s -f -m 2 -X PUT "$m/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') || exit 0
        curl -s -f -m 2 -H "X-aws-ec2-metadata-token: $t" "$m/latest/meta-data/spot/instance-action" || true
        """

    /// The notice in the script's output; nil when it printed none.
    static func parse(_ text: String) -> SpotNotice? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let action = object["action"] as? String, let time = object["time"] as? String else { return nil }
        return SpotNotice(action: action, time: time)
    }

    /// EC2's code for an instance it reclaimed from the spot market.
    static let reclaimedCode = "Server.SpotInstanceTermination"

    /// EC2's reason when it reclaimed the spot instance `instanceId`, waiting up to `wait` seconds for
    /// the instance to leave `running` (its state changes a moment after the machine goes); nil when
    /// it is still running or ended for another reason.
    static func reclaimReason(instanceId: String, cloud: DevCloud, wait: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(wait)
        var delay = 0.2
        while true {
            if let instance = try? cloud.describe([instanceId]).first, let state = instance.stateName, state != .running, state != .pending {
                let reclaimed = instance.stateReasonCode == reclaimedCode || (instance.stateReason?.contains(reclaimedCode) ?? false)
                return reclaimed ? (instance.stateReason ?? reclaimedCode) : nil
            }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 2)
        }
    }
}

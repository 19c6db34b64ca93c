import Foundation
import SSH

/// Every instance has a deadline: besides the `ncaas:expiry` tag (which `ncaas gc` enforces from
/// outside), a watchdog on the instance itself shuts it down when the time in its expiry file has
/// passed, even when nothing outside is watching. Extending the deadline rewrites the file; the
/// watchdog reads it again at each turn.
public enum Deadline {
    /// The file holding the deadline (seconds since 1970) on the instance.
    public static let expiryFile = "/var/tmp/ncaas-expiry"
    static let pidFile = "/var/tmp/ncaas-watchdog.pid"

    /// A shell script (run as the login user) that writes `expiry` and starts the watchdog unless it
    /// already runs. The watchdog checks at most every 15 s and then runs `sudo shutdown -h now`.
    public static func armScript(expiry: Date) -> String {
        let epoch = Int(expiry.timeIntervalSince1970.rounded(.up))
        return """
            set -e
            printf '%s\\n' \(epoch) > \(expiryFile).new && mv \(expiryFile).new \(expiryFile)
            if [ -f \(pidFile) ] && grep -q ncaas-watchdog "/proc/$(cat \(pidFile))/cmdline" 2>/dev/null; then exit 0; fi
            nohup setsid sh -c 'echo $$ > \(pidFile); : ncaas-watchdog; while :; do
              now=$(date +%s); end=$(cat \(expiryFile) 2>/dev/null || echo 0)
              [ "$now" -ge "$end" ] && break
              left=$((end - now)); [ "$left" -gt 15 ] && left=15; sleep "$left"
            done; sudo shutdown -h now' ncaas-watchdog >/dev/null 2>&1 </dev/null &
            """
    }

    /// Writes the deadline on the instance and makes sure its watchdog runs.
    public static func arm(_ session: SSHSession, expiry: Date) throws {
        let result = try session.exec(armScript(expiry: expiry), timeout: .seconds(30))
        guard result.status.succeeded else {
            throw DevError(.failed, "Could not set the instance's deadline watchdog: \(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)).")
        }
    }
}

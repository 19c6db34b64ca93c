import Foundation
import SSH

/// Every instance has a deadline: besides the `ncaas:expiry` tag (which `ncaas gc` enforces from
/// outside), a watchdog on the instance itself shuts it down once the time in its expiry file has
/// passed, even when nothing outside is watching. The watchdog is a cloud-init per-boot script, so it
/// survives a reboot (CreateImage reboots the instance); the expiry file names the instance it is
/// for, so an image made from the instance carries the watchdog but never arms it on the instances
/// launched from the image. Extending the deadline rewrites the file; the watchdog reads it again
/// at each turn.
public enum Deadline {
    /// The file holding `<instance id> <deadline in seconds since 1970>` on the instance.
    public static let expiryFile = "/var/tmp/ncaas-expiry"
    static let watchdogPath = "/usr/local/sbin/ncaas-watchdog"
    static let perBootHook = "/var/lib/cloud/scripts/per-boot/ncaas-deadline"
    static let pidFile = "/var/tmp/ncaas-watchdog.pid"

    /// How long an instance may run after a boot that finds its deadline passed (a stopped dev
    /// instance started again after `ncaas dev extend`, before ncaas has written the new deadline).
    public static let bootGrace = 600

    /// The watchdog (run as root): exits when there is no expiry for this instance, else checks at
    /// most every 15 s and then runs the system's `shutdown -h now` (never a job's power shim). Started at boot (`--boot`), it allows
    /// `bootGrace` seconds past a deadline that has passed already.
    static let watchdog = """
        #!/bin/sh
        # ncaas: shuts this instance down once the deadline in \(expiryFile) has passed, for real: on
        # a PATH that a job's power shims (which only record a shutdown) are never on.
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        export PATH
        unset NCAAS_POWER_LOG
        me=$(cat /var/lib/cloud/data/instance-id 2>/dev/null)
        floor=0
        [ "${1:-}" = --boot ] && floor=$(( $(date +%s) + \(bootGrace) ))
        while :; do
          read -r owner end < \(expiryFile) 2>/dev/null || exit 0
          [ -n "$me" ] && [ "$owner" != "$me" ] && exit 0
          [ "$end" -lt "$floor" ] && end=$floor
          now=$(date +%s)
          [ "$now" -ge "$end" ] && break
          left=$((end - now)); [ "$left" -gt 15 ] && left=15; sleep "$left"
        done
        exec shutdown -h now

        """

    /// Starts the watchdog unless it runs (the per-boot hook, with the boot's grace; and ncaas after
    /// writing the expiry, with `--now`).
    static let starter = """
        #!/bin/sh
        if [ -f \(pidFile) ] && grep -q ncaas-watchdog "/proc/$(cat \(pidFile))/cmdline" 2>/dev/null; then
          [ "${1:-}" = --now ] || exit 0
          kill "$(cat \(pidFile))"
        fi
        grace=--boot; [ "${1:-}" = --now ] && grace=
        nohup setsid \(watchdogPath) $grace >/dev/null 2>&1 </dev/null &
        echo $! > \(pidFile)

        """

    /// A root shell script that installs the watchdog and its per-boot hook, writes the deadline for
    /// the instance it runs on (`instanceId`, else the one cloud-init records), and (re)starts the
    /// watchdog without the boot's grace.
    static func installScript(instanceId: String?, expiry: Date) -> String {
        let epoch = Int(expiry.timeIntervalSince1970.rounded(.up))
        // The instance id is EC2's (i- and hex digits), the epoch a number: neither can carry shell syntax.
        let id = instanceId.map { "'" + $0.filter { $0.isLetter || $0.isNumber || $0 == "-" } + "'" } ?? "\"$(cat /var/lib/cloud/data/instance-id)\""
        return """
            set -e
            mkdir -p \((perBootHook as NSString).deletingLastPathComponent)
            cat > \(watchdogPath) <<'NCAAS_WATCHDOG'
            \(watchdog)NCAAS_WATCHDOG
            cat > \(perBootHook) <<'NCAAS_STARTER'
            \(starter)NCAAS_STARTER
            chmod 0755 \(watchdogPath) \(perBootHook)
            printf '%s %s\\n' \(id) \(epoch) > \(expiryFile).new
            mv \(expiryFile).new \(expiryFile)
            \(perBootHook) --now

            """
    }

    /// User-data for a launch: at first boot, as root, the deadline is armed before anything else
    /// can go wrong (no SSH needed: an instance ncaas never reaches still ends at its deadline).
    public static func userData(expiry: Date) -> String {
        "#!/bin/sh\n# ncaas: this instance's deadline (see \(watchdogPath)).\n" + installScript(instanceId: nil, expiry: expiry)
    }

    /// Run over SSH as the login user: the same, through one sudo.
    public static func armScript(instanceId: String, expiry: Date) -> String {
        "sudo sh -s <<'NCAAS_ARM'\n" + installScript(instanceId: instanceId, expiry: expiry) + "NCAAS_ARM\n"
    }

    /// Writes the deadline on the instance and (re)starts its watchdog: after `ncaas dev extend`,
    /// and after a start (the launch armed it through user-data).
    public static func arm(_ session: SSHSession, instanceId: String, expiry: Date) throws {
        let result = try session.exec(armScript(instanceId: instanceId, expiry: expiry), timeout: .seconds(30))
        guard result.status.succeeded else {
            throw DevError(.failed, "Could not set the instance's deadline watchdog: \(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)).")
        }
    }
}

/// What keeps a COMMAND that ends by shutting the instance down (`sudo shutdown -h now`,
/// `poweroff`, NeuroCAAS's `cleanup`) from cutting its own job short: ncaas terminates job
/// instances itself once COMMAND has ended and its results are safe, so while COMMAND runs a
/// shutdown, poweroff, halt or reboot it asks for is recorded, not carried out, and COMMAND's exit
/// status decides the dataset.
///
/// How: shims for `shutdown`, `poweroff`, `halt`, `reboot` and `systemctl poweroff|halt|reboot|kexec`
/// in `folder`, first in COMMAND's PATH and, through a sudoers drop-in, first in sudo's
/// `secure_path`. A shim records the request only when `NCAAS_POWER_LOG` is set (COMMAND's
/// environment; the drop-in lets sudo keep it); anyone else (the deadline watchdog, an
/// administrator) gets the real tool. The wrapper installs them before COMMAND and removes them
/// after the last COMMAND running on the instance ends. A shutdown by absolute path (`/sbin/poweroff`)
/// or from outside COMMAND still happens; the dataset then ends with a sentence saying so.
public enum PowerShims {
    /// Where the shims live on the instance (on no PATH but COMMAND's and sudo's while a job runs).
    public static let folder = "/usr/local/lib/ncaas/power"
    /// The variable naming the file a shim appends a request to.
    public static let logVariable = "NCAAS_POWER_LOG"
    /// The sudoers drop-in (named to sort last, so its `secure_path` wins).
    static let sudoersDropIn = "/etc/sudoers.d/zz-ncaas-job-power"
    /// One file per wrapper whose COMMAND runs, so the last one to end removes the shims.
    static let activeFolder = "/run/ncaas-jobs"
    static let lockFile = "/run/ncaas-jobs.lock"
    /// The tools shimmed.
    public static let names = ["shutdown", "poweroff", "halt", "reboot", "systemctl"]
    /// root's PATH behind the shims (Debian's and Ubuntu's sudo `secure_path`).
    public static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin"

    /// The shim, one script under every name.
    static let shim = """
        #!/bin/sh
        # ncaas: while a job's COMMAND runs (NCAAS_POWER_LOG set), a shutdown, poweroff, halt or reboot
        # is recorded, not carried out: ncaas terminates this job instance itself once COMMAND has ended.
        # For anyone else this is the real tool.
        name=${0##*/}
        if [ -n "${\(logVariable):-}" ]; then
          verb=$name
          if [ "$name" = systemctl ]; then
            verb=
            for word in "$@"; do case $word in -*) ;; *) verb=$word; break ;; esac; done
            case $verb in poweroff|halt|reboot|kexec) ;; *) verb= ;; esac
          fi
          if [ -n "$verb" ]; then
            printf '%s\\n' "$name${*:+ $*}" >> "$\(logVariable)" 2>/dev/null
            printf "ncaas: '%s' was recorded, not carried out: ncaas terminates this job instance itself once COMMAND has ended.\\n" "$name${*:+ $*}" >&2
            exit 0
          fi
        fi
        path=
        IFS=:
        for entry in $PATH; do [ "$entry" = \(folder) ] || path=${path:+$path:}$entry; done
        unset IFS
        export PATH="$path"
        exec "$name" "$@"

        """

    /// Run as root with the wrapper's id as `$1`: marks that wrapper's COMMAND as running and
    /// installs the shims and the drop-in (checked with `visudo -c` first: a broken sudoers file
    /// would break sudo). Prints a line on standard error, and changes nothing, where it cannot.
    static let installScript = """
        set -e
        mkdir -p \(activeFolder) \(folder)
        exec 9>\(lockFile)
        flock 9
        : > \(activeFolder)/"$1"
        cat > \(folder)/ncaas-power.new <<'NCAAS_SHIM'
        \(shim)NCAAS_SHIM
        chmod 0755 \(folder)/ncaas-power.new
        mv \(folder)/ncaas-power.new \(folder)/ncaas-power
        for name in \(names.joined(separator: " ")); do ln -sf ncaas-power \(folder)/"$name"; done
        printf 'Defaults secure_path="%s"\\nDefaults env_keep += "%s"\\n' '\(folder):\(systemPath)' '\(logVariable)' > \(sudoersDropIn).new
        chmod 0440 \(sudoersDropIn).new
        if visudo -c -q -f \(sudoersDropIn).new >/dev/null 2>&1; then
          mv \(sudoersDropIn).new \(sudoersDropIn)
        else
          rm -f \(sudoersDropIn).new
          echo "ncaas: this instance's sudo does not accept a secure_path drop-in, so a shutdown through sudo is not intercepted" >&2
        fi
        """

    /// Run as root with the wrapper's id as `$1`: unmarks it and, when no other COMMAND runs,
    /// removes the shims and the drop-in.
    static let removeScript = """
        exec 9>\(lockFile)
        flock 9
        rm -f \(activeFolder)/"$1"
        if [ -z "$(ls -A \(activeFolder) 2>/dev/null)" ]; then
          rm -f \(sudoersDropIn)
          rm -rf \(folder)
          rmdir \((folder as NSString).deletingLastPathComponent) 2>/dev/null || true
        fi
        """

    /// The requests in a power log (one per line, as typed: `shutdown -h now`).
    public static func requests(in log: String) -> [String] {
        log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

import Foundation

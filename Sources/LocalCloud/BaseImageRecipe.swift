/// What the local cloud's base image is made of: Debian bookworm minbase with the packages
/// NeuroCAAS COMMANDs expect, sshd keys-only, and nothing per instance: no user, no host keys. The
/// emulator boots each instance from it as cloud-init boots an AMI (its guest init, mounted at
/// launch, makes the image's login user, the host keys, and runs user-data), so the image never
/// needs rebuilding when the boot changes.
public enum BaseImageRecipe {
    /// The tag of the finished image. Only a complete, verified build carries it; the tag names the
    /// recipe's version, so a changed recipe is built anew beside the old image.
    public static let reference = "localhost/ncaas-base:bookworm-3"
    /// Builds in progress are imported under this repository first (`...:building-<pid>`).
    public static let buildingRepository = "localhost/ncaas-base"
    public static let buildingTagPrefix = "building-"
    public static let suite = "bookworm"
    public static let defaultMirror = "http://deb.debian.org/debian"
    /// What NeuroCAAS COMMANDs expect, and the native libraries ncaas links (libcurl, libssh2, libgit2,
    /// libjq, libxml2), so the in-stack job manager finds them as Debian's own packages.
    public static let packages = ["openssh-server", "python3", "ca-certificates", "curl", "jq", "sudo",
                                  "libcurl4", "libssh2-1", "libgit2-1.5", "libjq1", "libxml2"]

    /// sshd settings: keys only, no root login. Addresses and host keys are each instance's, given
    /// by the guest init on sshd's command line.
    public static let sshdConfig = """
        # Written by ncaas: the local cloud's base image.
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin no
        UseDNS no
        ClientAliveInterval 30

        """

    /// Run inside the fresh root file system (chroot) after debootstrap.
    public static let configureScript = """
        set -eu
        rm -f /etc/ssh/ssh_host_*
        cat > /etc/ssh/sshd_config.d/ncaas.conf <<'NCAAS_SSHD'
        \(sshdConfig)NCAAS_SSHD
        apt-get clean
        rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt/* /tmp/* /root/.bash_history
        echo ncaas > /etc/hostname

        """
}

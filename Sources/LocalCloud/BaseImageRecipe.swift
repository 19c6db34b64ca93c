/// What the local cloud's base image is made of: Debian bookworm minbase with the packages
/// NeuroCAAS COMMANDs expect, a user `ubuntu` with passwordless sudo, no host keys, and a
/// boot script that makes each container an SSH-reachable instance.
public enum BaseImageRecipe {
    /// The tag of the finished image. Only a complete, verified build carries it.
    public static let reference = "localhost/ncaas-base:bookworm"
    /// Builds in progress are imported under this repository first (`...:building-<pid>`).
    public static let buildingRepository = "localhost/ncaas-base"
    public static let buildingTagPrefix = "building-"
    public static let suite = "bookworm"
    public static let defaultMirror = "http://deb.debian.org/debian"
    public static let packages = ["openssh-server", "python3", "ca-certificates", "curl", "jq", "sudo"]
    /// The boot script's path in the image (the image's CMD).
    public static let bootPath = "/usr/local/sbin/ncaas-boot"
    /// Where each instance keeps its host keys: an anonymous volume per container, so they
    /// survive stop/start but are never part of a committed image.
    public static let hostKeyFolder = "/etc/ssh/hostkeys"

    /// Environment variables the boot script reads.
    public enum Environment {
        /// The loopback port sshd listens on (the container shares the host's network).
        public static let sshPort = "NCAAS_SSH_PORT"
        /// One OpenSSH public key line installed for `ubuntu` (like EC2's key pair).
        public static let authorizedKey = "NCAAS_AUTHORIZED_KEY"
        /// The instance id, for logs.
        public static let instanceId = "NCAAS_INSTANCE_ID"
    }

    /// The boot script: host keys if missing, the authorized key, then sshd in the foreground.
    public static let bootScript = """
        #!/bin/sh
        # ncaas-boot: turns this container into an instance. Host keys are made on first boot and
        # kept in \(hostKeyFolder) (a per-instance volume, never committed into an image); the key
        # in $\(Environment.authorizedKey) (or the file /run/ncaas/authorized_key) is allowed to
        # log in as ubuntu; sshd listens on 127.0.0.1:$\(Environment.sshPort).
        set -eu
        port="${\(Environment.sshPort):-22}"
        keys=\(hostKeyFolder)
        mkdir -p "$keys"
        [ -s "$keys/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "${\(Environment.instanceId):-instance}" -f "$keys/ssh_host_ed25519_key"
        [ -s "$keys/ssh_host_ecdsa_key" ] || ssh-keygen -q -t ecdsa -N '' -C "${\(Environment.instanceId):-instance}" -f "$keys/ssh_host_ecdsa_key"
        key="${\(Environment.authorizedKey):-}"
        if [ -z "$key" ] && [ -r /run/ncaas/authorized_key ]; then key="$(cat /run/ncaas/authorized_key)"; fi
        if [ -n "$key" ]; then
          install -d -m 0700 -o ubuntu -g ubuntu /home/ubuntu/.ssh
          touch /home/ubuntu/.ssh/authorized_keys
          grep -qxF "$key" /home/ubuntu/.ssh/authorized_keys || printf '%s\\n' "$key" >> /home/ubuntu/.ssh/authorized_keys
          chown ubuntu:ubuntu /home/ubuntu/.ssh/authorized_keys
          chmod 0600 /home/ubuntu/.ssh/authorized_keys
        fi
        mkdir -p /run/sshd
        echo "ncaas-boot: ${\(Environment.instanceId):-instance} listening on 127.0.0.1:$port"
        exec /usr/sbin/sshd -D -e -p "$port"

        """

    /// sshd settings: keys only, loopback only, host keys from the per-instance folder.
    public static let sshdConfig = """
        # Written by ncaas: the local cloud's instances.
        HostKey \(hostKeyFolder)/ssh_host_ed25519_key
        HostKey \(hostKeyFolder)/ssh_host_ecdsa_key
        ListenAddress 127.0.0.1
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin no
        UseDNS no
        ClientAliveInterval 30

        """

    /// `shutdown`, `poweroff`, `halt`: end the instance the way a job ending with
    /// `sudo shutdown -h now` expects (the container's main process, sshd, is stopped).
    public static let shutdownScript = """
        #!/bin/sh
        # ncaas: there is no init in a local instance; stopping sshd (process 1) stops the container.
        kill -TERM 1

        """

    /// Run inside the fresh root file system (chroot) after debootstrap.
    public static let configureScript = """
        set -eu
        id ubuntu >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups sudo ubuntu
        usermod -p '*' ubuntu
        printf 'ubuntu ALL=(ALL) NOPASSWD:ALL\\n' > /etc/sudoers.d/90-ncaas-ubuntu
        chmod 0440 /etc/sudoers.d/90-ncaas-ubuntu
        rm -f /etc/ssh/ssh_host_*
        cat > /etc/ssh/sshd_config.d/ncaas.conf <<'NCAAS_SSHD'
        \(sshdConfig)NCAAS_SSHD
        cat > \(bootPath) <<'NCAAS_BOOT'
        \(bootScript)NCAAS_BOOT
        chmod 0755 \(bootPath)
        for name in shutdown poweroff halt; do
          cat > /usr/local/sbin/$name <<'NCAAS_SHUTDOWN'
        \(shutdownScript)NCAAS_SHUTDOWN
          chmod 0755 /usr/local/sbin/$name
        done
        apt-get clean
        rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt/* /tmp/* /root/.bash_history
        echo ncaas > /etc/hostname

        """
}

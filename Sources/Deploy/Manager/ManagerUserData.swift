/// The job manager's user-data: at first boot it installs a supervisor as a cloud-init per-boot
/// script (so it runs at every boot) and starts it. The supervisor fetches ncaas and the blueprint
/// from the bucket with the instance role's credentials from the instance metadata (curl signs), installs
/// the native libraries ncaas links from the distribution's packages when they are missing, and runs
/// `ncaas jobs serve --in-stack` for ever: restarted after a failure, at once when it asks to (a new
/// build, `ncaas manager restart`: exit status 75). What it does goes to /var/log/ncaas-manager.log
/// and its milestones to the console, where `ncaas manager status` reads them when the manager
/// cannot write its heartbeat. The bucket and the analysis are data checked by the blueprint rules
/// (lower-case letters, digits, dots and hyphens): they are quoted, never evaluated.
enum ManagerUserData {
    static let libraries = "libcurl4 libssh2-1 libgit2-1.5 libjq1 libxml2"

    static func script(bucket: String, analysis: String, visibilityTimeout: Int) -> String {
        """
        #!/bin/sh
        # ncaas: the job manager of \(analysis) (s3://\(bucket)/ncaas/).
        set -eu
        mkdir -p /opt/ncaas/blueprint /var/lib/cloud/scripts/per-boot
        cat > /opt/ncaas/supervise <<'NCAAS_SUPERVISE'
        \(supervisor(bucket: bucket, analysis: analysis, visibilityTimeout: visibilityTimeout))NCAAS_SUPERVISE
        chmod 0755 /opt/ncaas/supervise
        ln -sf /opt/ncaas/supervise /var/lib/cloud/scripts/per-boot/ncaas-manager
        /opt/ncaas/supervise

        """
    }

    static func supervisor(bucket: String, analysis: String, visibilityTimeout: Int) -> String {
        """
        #!/bin/sh
        # ncaas: runs the job manager of \(analysis) for ever (started at every boot).
        bucket='\(bucket)'
        log=/var/log/ncaas-manager.log
        pidfile=/run/ncaas-manager.pid
        if [ "${1:-}" != --loop ]; then
          if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
          nohup setsid /opt/ncaas/supervise --loop >>"$log" 2>&1 </dev/null &
          echo $! > "$pidfile"
          echo "ncaas-manager: supervisor started (log: $log)"
          exit 0
        fi
        set -a; [ -r /etc/environment ] && . /etc/environment; set +a
        say() { echo "ncaas-manager: $*"; echo "ncaas-manager: $*" > /dev/console 2>/dev/null || true; }
        imds() {
          base=${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254/}
          token=$(curl -sf -X PUT "${base}latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') || return 1
          curl -sf -H "X-aws-ec2-metadata-token: $token" "${base}latest/$1"
        }
        field() { sed -n "s/.*\\"$1\\" *: *\\"\\([^\\"]*\\)\\".*/\\\\1/p"; }
        # s3 KEY FILE: downloads when the object changed since the last download (its ETag kept in FILE.etag).
        s3() {
          role=$(imds meta-data/iam/security-credentials/) || { say "no instance profile role in the instance metadata"; return 1; }
          credentials=$(imds "meta-data/iam/security-credentials/$role") || return 1
          id=$(printf '%s\\n' "$credentials" | field AccessKeyId)
          secret=$(printf '%s\\n' "$credentials" | field SecretAccessKey)
          session=$(printf '%s\\n' "$credentials" | field Token)
          endpoint=${AWS_ENDPOINT_URL:-https://s3.$AWS_REGION.amazonaws.com}
          etag=$(cat "$2.etag" 2>/dev/null || true)
          code=$(curl -s -o "$2.part" -D "$2.headers" -w '%{http_code}' --aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$id:$secret" \\
                 -H "x-amz-security-token: $session" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' ${etag:+-H "If-None-Match: $etag"} \\
                 "$endpoint/$bucket/$1")
          case "$code" in
            200) mv "$2.part" "$2"; tr -d '\\r' < "$2.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' > "$2.etag"; return 0 ;;
            304) rm -f "$2.part"; return 0 ;;
            *) rm -f "$2.part"; say "s3://$bucket/$1: HTTP $code"; return 1 ;;
          esac
        }
        export AWS_REGION=${AWS_REGION:-$(imds meta-data/placement/region)}
        export AWS_DEFAULT_REGION=$AWS_REGION HOME=/root
        export NCAAS_MANAGER_INSTANCE_ID=$(imds meta-data/instance-id)
        say "starting on $NCAAS_MANAGER_INSTANCE_ID in $AWS_REGION"
        while :; do
          if ! s3 \(ManagerLayout.binaryKey) /opt/ncaas/ncaas || ! s3 \(ManagerLayout.blueprintKey) /opt/ncaas/blueprint/stack_config_template.json; then
            sleep 3; continue
          fi
          chmod 0755 /opt/ncaas/ncaas
          missing=$(ldd /opt/ncaas/ncaas 2>/dev/null | awk '/not found/ {print $1}' | tr '\\n' ' ')
          if [ -n "$missing" ]; then
            say "installing the libraries ncaas needs (missing: $missing)"
            if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \(libraries); }; then
              say "could not install \(libraries); retrying in 30 s"; sleep 30; continue
            fi
          fi
          say "running ncaas jobs serve (build $(cat /opt/ncaas/ncaas.etag 2>/dev/null))"
          status=0
          NCAAS_MANAGER_BUILD=$(cat /opt/ncaas/ncaas.etag 2>/dev/null) /opt/ncaas/ncaas jobs serve /opt/ncaas/blueprint/stack_config_template.json \\
            --in-stack --visibility-timeout \(visibilityTimeout) --log-file "$log" || status=$?
          say "ncaas jobs serve exited with status $status"
          [ "$status" -eq 75 ] || sleep 5
        done

        """
    }
}

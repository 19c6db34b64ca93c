#!/usr/bin/env bash
# SFTP upload throughput, side by side against one sshd started for the run (loopback, its own host
# key, the current user): ncaas's SSH module (`ncaas-bench sftp-upload`) vs the system `scp` (OpenSSH 9
# speaks SFTP too), each a whole process (connect, check the pinned host key, log in, upload 200 MB).
source "$(dirname "$0")/lib.sh"
size_mb=${BENCH_SFTP_MB:-200}
runs=${BENCH_SFTP_RUNS:-5}
bench_bin="${NCAAS_BENCH_BIN:-$bench_root/.build/release/ncaas-bench}"

work=$(mktemp -d)
sshd_pid=
cleanup() { [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The server: like the tests' sshd (Tests/SSHTests/Support/SSHDServer.swift).
mkdir -p /run/sshd
port=$("$python_bin" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user=$(id -un)
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$work/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C ncaas -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/authorized_keys"
cat > "$work/sshd_config" <<EOF
ListenAddress 127.0.0.1:$port
HostKey $work/host_ed25519
AuthorizedKeysFile $work/authorized_keys
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
AllowUsers $user
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$results_dir/sshd.log" &
sshd_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

head -c "$((size_mb * 1000 * 1000))" /dev/urandom > "$work/payload"
mkdir "$work/remote"
known="$work/known_hosts"
# First contact pins the host key (ncaas writes an OpenSSH known_hosts line); from then on both
# clients check it strictly against the same file.
NCAAS_BENCH_KNOWN_HOSTS=$known "$bench_bin" sftp-upload 127.0.0.1 "$port" "$user" "$work/id_ed25519" "$work/payload" "$work/remote/ncaas.bin" >/dev/null
scp_cmd="scp -q -o UserKnownHostsFile=$known -o StrictHostKeyChecking=yes -o BatchMode=yes -i $work/id_ed25519 -P $port $work/payload $user@127.0.0.1:$work/remote/scp.bin"
ncaas_cmd="env NCAAS_BENCH_KNOWN_HOSTS=$known $bench_bin sftp-upload 127.0.0.1 $port $user $work/id_ed25519 $work/payload $work/remote/ncaas.bin"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$results_dir/sftp.json" "$ncaas_cmd" "$scp_cmd" >/dev/null
cmp -s "$work/payload" "$work/remote/ncaas.bin" || { echo "sftp.sh: the uploaded file differs from the original" >&2; exit 1; }
cipher=$("$bench_bin" sftp-upload 127.0.0.1 "$port" "$user" "$work/id_ed25519" "$work/payload" "$work/remote/ncaas.bin" | "$python_bin" -c 'import json,sys; print(json.load(sys.stdin)["cipher"])')

"$python_bin" - "$results_dir/sftp.json" "$size_mb" "$cipher" <<'PY'
import json, sys
ncaas, scp = (r["mean"] * 1000 for r in json.load(open(sys.argv[1]))["results"])
size_mb, cipher = int(sys.argv[2]), sys.argv[3]
print(json.dumps({"operation": f"SFTP upload {size_mb} MB, whole process (libssh2, {cipher})", "ncaas_ms": ncaas,
                  "tool": "scp (OpenSSH)", "tool_ms": scp,
                  "ncaas_mb_per_s": round(size_mb * 1000 / ncaas, 1), "tool_mb_per_s": round(size_mb * 1000 / scp, 1),
                  "goal": ">= 0.8x scp throughput", "met": scp / ncaas >= 0.8}))
PY

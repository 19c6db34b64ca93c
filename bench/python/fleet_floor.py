"""The floor of a fleet launch: N bare instances of the base image started at once, each a podman
container that makes its host keys and runs sshd on its own loopback port (the local cloud's boot
script, as an instance boots) and the same service a seat runs (`python3 -m http.server`), timed
from the first `podman run` to every sshd and every service answering. No EC2 API, no SSH login,
no passwords: what the machine itself costs for N serving seats.

Usage: fleet_floor.py N IMAGE "GLOBAL PODMAN ARGS" "RUN ARGS". Prints the milliseconds.
"""
import socket
import subprocess
import sys
import time
import urllib.request

n, image, global_args, run_args = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(), sys.argv[4].split()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ssh_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def service_answers(port):
    try:
        return urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=0.5).status == 200
    except OSError:
        return False


seats = [(i, free_port(), free_port()) for i in range(n)]
names = ["bench-floor-%d" % i for i, _, _ in seats]
start = time.perf_counter()
runs = [subprocess.Popen(["podman", *global_args, "run", "-d", *run_args, "--network", "host", "--name", name,
                          "-e", "NCAAS_SSH_PORT=%d" % ssh, image, "sh", "-c",
                          "su ubuntu -c 'cd && python3 -m http.server %d --bind 127.0.0.1' >/dev/null 2>&1 & exec /usr/local/sbin/ncaas-boot" % web],
                         stdout=subprocess.DEVNULL)
        for name, (_, ssh, web) in zip(names, seats)]
for run in runs:
    run.wait()
waiting = {(ssh, web) for _, ssh, web in seats}
deadline = time.time() + 120
while waiting and time.time() < deadline:
    waiting = {(ssh, web) for ssh, web in waiting if not (ssh_answers(ssh) and service_answers(web))}
    if waiting:
        time.sleep(0.02)
elapsed = (time.perf_counter() - start) * 1000
subprocess.run(["podman", *global_args, "rm", "-f", "-t", "0", *names], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if waiting:
    sys.exit("fleet_floor: %d of %d seats never answered" % (len(waiting), n))
print("%.1f" % elapsed)

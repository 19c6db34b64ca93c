#!/usr/bin/env bash
# The workshop image: JupyterLab in its own virtual environment, on PATH for every user.
# Run by `ncaas image build workshop` as ubuntu (with sudo) in the uploaded blueprint folder.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
sudo apt-get update -qq
sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
sudo python3 -m venv /opt/jupyter
# The system CA bundle (not pip's own), so a TLS-inspecting proxy the machine trusts works here too.
sudo /opt/jupyter/bin/pip install --quiet --disable-pip-version-check --cert /etc/ssl/certs/ca-certificates.crt jupyterlab
sudo ln -sf /opt/jupyter/bin/jupyter /usr/local/bin/jupyter
# What participants find in their home folder.
cp welcome.ipynb "$HOME/"
jupyter --version

# Installs the analysis for `ncaas image build bursts` (runs as the image's login user, with sudo,
# in the uploaded blueprint folder): a recent AWS CLI, then run_main.sh and bursts.py in ~/bin.
# Debian's packaged awscli (2.9 in bookworm) and Ubuntu 18.04's (1.14) predate AWS_ENDPOINT_URL
# (AWS CLI 1.29 / 2.13), so they would not reach the local cloud's endpoint: pip installs one that does.
set -e
sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
sudo pip3 install --quiet --disable-pip-version-check --break-system-packages 'awscli>=1.29' 2>/dev/null \
  || sudo pip3 install --quiet --disable-pip-version-check 'awscli>=1.29'
aws --version
mkdir -p ~/bin
cp run_main.sh bursts.py ~/bin/
python3 ~/bin/bursts.py data/session1.csv data/config.json /tmp/bursts-self-test >/dev/null
rm -rf /tmp/bursts-self-test

# Installs the analysis for `ncaas image build spike-stats` (runs as ubuntu in the uploaded
# blueprint folder): numpy for the statistics and matplotlib for the figure, from Debian's
# packages, then the two scripts. The image is reused while this folder is unchanged
# (`ncaas image build spike-stats --if-changed`).
set -e
sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-numpy python3-matplotlib >/dev/null
sudo apt-get clean && sudo rm -rf /var/lib/apt/lists/*   # the package files are not part of the image
mkdir -p ~/bin
cp spike_stats.py figure.py ~/bin/
python3 ~/bin/spike_stats.py --self-test

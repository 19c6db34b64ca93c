# Installs the analysis for `ncaas image build spike-stats` (runs as ubuntu in the uploaded
# blueprint folder). Standard library only: nothing to download.
set -e
mkdir -p ~/bin
cp spike_stats.py figure.py ~/bin/
python3 ~/bin/spike_stats.py --self-test

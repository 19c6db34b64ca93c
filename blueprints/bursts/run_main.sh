#!/bin/bash
# The job script, written the NeuroCAAS way: COMMAND hands it the bucket, the dataset key, the
# result folder and the config key; it moves its own data with the AWS CLI (the instance profile's
# credentials, from the instance metadata), keeps a progress log in the result folder, and leaves
# the shutdown to COMMAND.
#   bash run_main.sh BUCKET DATASET_KEY RESULT_DIR CONFIG_KEY
set -u -o pipefail
bucket=$1 dataset=$2 resultdir=$3 config=$4
name=$(basename -- "$dataset")
here=$(cd -- "$(dirname -- "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
log=$work/progress.txt
logkey="$resultdir/logs/progress_$name.txt"

# One line in the progress log, which goes to the result folder at once (as NeuroCAAS's DATASET_NAME logs do).
progress() {
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$log"
    aws s3 cp --quiet -- "$log" "s3://$bucket/$logkey" || echo "run_main: could not write the progress log to s3://$bucket/$logkey" >&2
}

progress "starting on $(hostname) as $(id -un): s3://$bucket/$dataset with s3://$bucket/$config"
aws --version 2>&1 | head -n 1 | sed 's/^/run_main: /'
if ! aws s3 cp --quiet -- "s3://$bucket/$dataset" "$work/$name"; then
    progress "FAILED: could not download the dataset"
    exit 3
fi
if ! aws s3 cp --quiet -- "s3://$bucket/$config" "$work/config.json"; then
    progress "FAILED: could not download the config"
    exit 3
fi
progress "downloaded $(wc -l < "$work/$name") lines; finding bursts"
mkdir -p "$work/out"
if ! python3 "$here/bursts.py" "$work/$name" "$work/config.json" "$work/out"; then
    progress "FAILED: bursts.py could not analyse the dataset (see stderr)"
    exit 2
fi
for file in "$work/out"/*; do
    if ! aws s3 cp --quiet -- "$file" "s3://$bucket/$resultdir/process_results/$(basename -- "$file")"; then
        progress "FAILED: could not upload $(basename -- "$file")"
        exit 4
    fi
done
progress "done: $(ls "$work/out" | wc -l) result files in s3://$bucket/$resultdir/process_results/"

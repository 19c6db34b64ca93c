#!/usr/bin/env python3
"""Burst detection on spike trains (Python 3 standard library only).

    python3 bursts.py DATASET.csv CONFIG.json OUTPUT_FOLDER

DATASET.csv holds `unit,time_s` rows (a header line is allowed). A burst is a run of at least
`min_spikes` spikes of one unit whose consecutive intervals are all at most `max_isi_s` (the
config's keys; 3 and 0.1 when absent). Writes OUTPUT_FOLDER/<dataset>_bursts.json (per unit: the
spike count, the bursts as [start, end, spikes], the fraction of spikes in bursts) and
OUTPUT_FOLDER/<dataset>_bursts.csv (one row per burst). Exit 2 with one line on stderr for
malformed input.
"""
import csv
import json
import os
import sys


def fail(message):
    print(f"bursts: {message}", file=sys.stderr)
    sys.exit(2)


def read_spikes(path):
    units = {}
    with open(path, newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or (number == 1 and row[0].strip().lower() == "unit"):
                continue
            if len(row) != 2:
                fail(f"line {number}: expected 'unit,time_s', got {','.join(row)!r}")
            try:
                time = float(row[1])
            except ValueError:
                fail(f"line {number}: {row[1].strip()!r} is not a spike time in seconds")
            units.setdefault(row[0].strip(), []).append(time)
    return {unit: sorted(times) for unit, times in units.items()}


def bursts(times, max_isi, min_spikes):
    found, run = [], [times[0]] if times else []
    for previous, current in zip(times, times[1:]):
        if current - previous <= max_isi:
            run.append(current)
        else:
            if len(run) >= min_spikes:
                found.append(run)
            run = [current]
    if len(run) >= min_spikes:
        found.append(run)
    return [[run[0], run[-1], len(run)] for run in found]


def main(arguments):
    if len(arguments) != 3:
        fail("usage: bursts.py DATASET.csv CONFIG.json OUTPUT_FOLDER")
    dataset, config_path, output = arguments
    try:
        with open(config_path) as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"the config is not JSON: {error}")
    max_isi = float(config.get("max_isi_s", 0.1))
    min_spikes = int(config.get("min_spikes", 3))
    units = read_spikes(dataset)
    summary = {"dataset": os.path.basename(dataset), "max_isi_s": max_isi, "min_spikes": min_spikes, "units": {}}
    rows = []
    for unit in sorted(units):
        times = units[unit]
        found = bursts(times, max_isi, min_spikes)
        in_bursts = sum(spikes for _, _, spikes in found)
        summary["units"][unit] = {"spikes": len(times), "bursts": found, "burst_fraction": in_bursts / len(times)}
        rows += [[unit, start, end, spikes] for start, end, spikes in found]
    os.makedirs(output, exist_ok=True)
    stem = os.path.join(output, os.path.basename(dataset))
    with open(stem + "_bursts.json", "w") as handle:
        json.dump(summary, handle, indent=2, sort_keys=True)
        handle.write("\n")
    with open(stem + "_bursts.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit", "start_s", "end_s", "spikes"])
        writer.writerows(rows)
    print(f"bursts: {len(rows)} bursts in {len(units)} units of {os.path.basename(dataset)}")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Spike-train summary statistics: the spike-stats analysis of ncaas.

Run by ncaas as COMMAND: `python3 spike_stats.py BUCKET DATASET_KEY RESULT_DIR CONFIG_KEY`. The
four parameters are for the record; the files are the ones ncaas staged on the instance:
  NCAAS_INPUT   a CSV of spike times: `unit,time_s` rows (a header line is allowed)
  NCAAS_CONFIG  a JSON config: {"duration_s": float (else the last spike time),
                                "min_spikes": int (units with fewer are left out, default 2),
                                "sleep_s": float (wait first; for testing time limits),
                                "__duration__": minutes (ncaas's time limit)}
  NCAAS_OUTPUT  the folder for results: <dataset>_summary.json and <dataset>_figure.png (a raster
                and the units' rates, drawn with matplotlib by figure.py beside this script)
The statistics are numpy's; numpy and matplotlib come from Debian's packages (setup.sh).
Exit codes: 0 done, 2 malformed input or config.
"""
import json
import math
import os
import sys
import time

import numpy as np

import figure


def fail(message):
    print("spike_stats: " + message, file=sys.stderr)
    sys.exit(2)


def read_spikes(path):
    units = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [field.strip() for field in line.split(",")]
            if number == 1 and fields[-1].lower() in ("time", "time_s", "t"):
                continue
            if len(fields) != 2:
                fail("line %d: expected unit,time_s, found %r" % (number, line))
            try:
                spike_time = float(fields[1])
            except ValueError:
                fail("line %d: %r is not a spike time in seconds" % (number, fields[1]))
            if not math.isfinite(spike_time) or spike_time < 0:
                fail("line %d: %r is not a spike time in seconds" % (number, fields[1]))
            units.setdefault(fields[0], []).append(spike_time)
    return units


def summarize(units, duration, min_spikes):
    """Per unit with at least `min_spikes` spikes: count, rate, mean inter-spike interval and its
    coefficient of variation (standard deviation over mean), computed with numpy."""
    summary = {}
    for unit in sorted(units):
        times = np.sort(np.asarray(units[unit], dtype=float))
        if times.size < min_spikes:
            continue
        intervals = np.diff(times)
        mean_isi = float(intervals.mean()) if intervals.size else None
        cv = float(intervals.std() / mean_isi) if intervals.size and mean_isi else None
        summary[unit] = {
            "spikes": int(times.size),
            "rate_hz": times.size / duration if duration > 0 else None,
            "mean_isi_s": mean_isi,
            "cv_isi": cv,
            "first_s": float(times[0]),
            "last_s": float(times[-1]),
        }
    return summary


def main(argv):
    if argv[1:] == ["--self-test"]:
        result = summarize({"a": [0.0, 1.0, 2.0]}, 2.0, 2)
        assert result["a"]["rate_hz"] == 1.5 and result["a"]["cv_isi"] == 0.0, result
        print("spike_stats: self-test passed")
        return 0
    if len(argv) != 5:
        fail("usage: spike_stats.py BUCKET DATASET_KEY RESULT_DIR CONFIG_KEY")
    bucket, dataset_key, result_dir, config_key = argv[1:]
    try:
        with open(os.environ["NCAAS_CONFIG"], encoding="utf-8") as handle:
            config = json.load(handle)
    except (ValueError, OSError) as error:
        fail("the config %s cannot be read as JSON: %s" % (config_key, error))
    if not isinstance(config, dict):
        fail("the config %s must be a JSON object" % config_key)
    print("analysing s3://%s/%s with %s" % (bucket, dataset_key, config_key), flush=True)
    time.sleep(float(config.get("sleep_s", 0)))
    units = read_spikes(os.environ["NCAAS_INPUT"])
    last = max((t for times in units.values() for t in times), default=0.0)
    duration = float(config.get("duration_s", last))
    summary = summarize(units, duration, int(config.get("min_spikes", 2)))
    name = os.path.basename(dataset_key)
    output = os.path.join(os.environ["NCAAS_OUTPUT"], name + "_summary.json")
    with open(output, "w", encoding="utf-8") as handle:
        json.dump({"dataset": dataset_key, "result_dir": result_dir, "duration_s": duration, "units": summary},
                  handle, indent=2, sort_keys=True)
    picture = os.path.join(os.environ["NCAAS_OUTPUT"], name + "_figure.png")
    figure.draw("%s: %d units over %.1f s" % (name, len(summary), duration), units, summary, duration, picture)
    print("%d units summarised into %s and %s" % (len(summary), os.path.basename(output), os.path.basename(picture)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

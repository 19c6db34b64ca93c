#!/usr/bin/env python3
"""Makes the example's sample recordings: synthetic spike trains, so nothing is downloaded.

Each unit fires as a Poisson process at its own rate (seeded, so the files are the same every
time). Writes session1.csv and session2.csv (unit,time_s) and a config.json for them (the
recording's length) into FOLDER: `python3 make_data.py FOLDER [--seconds S]`."""
import json
import os
import random
import sys

SESSIONS = {
    # session: {unit: rate in Hz}
    "session1.csv": {"u1": 2.0, "u2": 8.0, "u3": 20.0, "u4": 0.5},
    "session2.csv": {"u1": 4.0, "u2": 12.0, "u3": 1.0},
}


def spike_train(rate, seconds, rng):
    times, t = [], 0.0
    while True:
        t += rng.expovariate(rate)
        if t >= seconds:
            return times
        times.append(round(t, 4))


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    seconds = 10.0
    if "--seconds" in argv:
        seconds = float(argv[argv.index("--seconds") + 1])
        args = [a for a in args if a != argv[argv.index("--seconds") + 1]]
    if not args:
        print("usage: make_data.py FOLDER [--seconds S]", file=sys.stderr)
        return 2
    folder = args[0]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
        json.dump({"duration_s": seconds, "min_spikes": 2}, handle, indent=2)
    for index, (name, rates) in enumerate(sorted(SESSIONS.items()), start=1):
        rng = random.Random(1000 + index)
        rows = sorted((t, unit) for unit, rate in rates.items() for t in spike_train(rate, seconds, rng))
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write("unit,time_s\n")
            for t, unit in rows:
                handle.write("%s,%s\n" % (unit, t))
        print("%s: %d spikes from %d units over %.0f s" % (name, len(rows), len(rates), seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""A figure of one recording, drawn with matplotlib: a spike raster (one row per unit, a tick per
spike) above each unit's firing rate as a bar, its value and spike count written beside it, so the
figure can be checked against summary.json by eye. 900 pixels wide; 24 pixels per unit in each
panel."""
import matplotlib

matplotlib.use("Agg")  # no display on an instance
import matplotlib.pyplot as plt  # noqa: E402

WIDTH, ROW, DPI = 900, 24, 100


def height(units):
    """The figure's height in pixels for `units` units: title, raster, rates, margins."""
    rows = max(1, units) * ROW
    return 60 + rows + 70 + rows + 50


def draw(title, spikes, summary, duration, path):
    """Writes the figure of one recording to `path` (PNG).

    spikes: {unit: [times in s]}; summary: {unit: {"rate_hz": ..., "spikes": ...}} (the units drawn);
    duration: the recording's length in seconds."""
    units = sorted(summary)
    pixels = height(len(units))
    figure = plt.figure(figsize=(WIDTH / DPI, pixels / DPI), dpi=DPI)
    rows = max(1, len(units)) * ROW
    # Panels placed in pixels (from the top), converted to figure fractions.
    def axes(top, size):
        return figure.add_axes([150 / WIDTH, 1 - (top + size) / pixels, (WIDTH - 190) / WIDTH, size / pixels])
    figure.suptitle(title, x=20 / WIDTH, y=1 - 10 / pixels, ha="left", va="top", fontsize=11)

    raster = axes(60, rows)
    raster.eventplot([spikes.get(unit, []) for unit in units] or [[]], colors="black", linelengths=0.7)
    raster.set_xlim(0, duration if duration > 0 else 1)
    raster.set_yticks(range(len(units)), units)
    raster.invert_yaxis()
    raster.set_title("spike raster, 0 to %.2f s" % duration, loc="left", fontsize=9, color="tab:blue")

    bars = axes(60 + rows + 70, rows)
    rates = [summary[unit]["rate_hz"] or 0 for unit in units]
    bars.barh(range(len(units)), rates, color="tab:blue")
    bars.set_yticks(range(len(units)), units)
    bars.invert_yaxis()
    bars.set_xlim(0, max(rates + [1e-9]) * 1.6)  # room for the labels
    for index, unit in enumerate(units):
        bars.text(rates[index], index, "  %.2f Hz, %d spikes" % (rates[index], summary[unit]["spikes"]), va="center", fontsize=8)
    bars.set_title("firing rate (Hz)", loc="left", fontsize=9, color="tab:blue")
    figure.savefig(path, dpi=DPI)
    plt.close(figure)

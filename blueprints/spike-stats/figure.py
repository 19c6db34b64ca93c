"""A figure of one recording, drawn with the Python standard library only (no matplotlib on the
instances): a spike raster (one row per unit, a tick per spike) above each unit's firing rate as
a bar, written as a PNG. The summary's numbers are drawn as text, so the figure can be checked
against summary.json by eye."""
import struct
import zlib

# A 5x7 pixel font: each glyph is 7 rows of 5 bits, top row first.
_FONT = {
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11110 00001 00001 01110 00001 00001 11110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    " ": "00000 00000 00000 00000 00000 00000 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
    ":": "00000 01100 01100 00000 01100 01100 00000", "-": "00000 00000 00000 11111 00000 00000 00000",
    "_": "00000 00000 00000 00000 00000 00000 11111", "/": "00001 00010 00010 00100 01000 01000 10000",
    "(": "00010 00100 01000 01000 01000 00100 00010", ")": "01000 00100 00010 00010 00010 00100 01000",
    "=": "00000 00000 11111 00000 11111 00000 00000", ",": "00000 00000 00000 00000 01100 00100 01000",
}

WHITE, BLACK, GREY, BLUE = (255, 255, 255), (20, 20, 20), (200, 200, 200), (40, 90, 200)


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def rect(self, x0, y0, x1, y1, colour):
        for y in range(max(0, int(y0)), min(self.height, int(y1))):
            start = (y * self.width + max(0, int(x0))) * 3
            end = (y * self.width + min(self.width, int(x1))) * 3
            if end > start:
                self.pixels[start:end] = bytes(colour) * ((end - start) // 3)

    def text(self, x, y, words, colour=BLACK, scale=2):
        for index, character in enumerate(words.upper()):
            rows = _FONT.get(character, _FONT[" "]).split()
            for row, bits in enumerate(rows):
                for column, bit in enumerate(bits):
                    if bit == "1":
                        left = x + (index * 6 + column) * scale
                        top = y + row * scale
                        self.rect(left, top, left + scale, top + scale, colour)

    def png(self):
        raw = b"".join(b"\x00" + bytes(self.pixels[y * self.width * 3:(y + 1) * self.width * 3]) for y in range(self.height))

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def draw(title, spikes, summary, duration, path):
    """Writes the figure of one recording to `path`.

    spikes: {unit: [times in s]}; summary: {unit: {"rate_hz": ..., "spikes": ...}} (the units drawn);
    duration: the recording's length in seconds."""
    units = sorted(summary)
    width, margin, row = 900, 150, 24
    raster_top = 60
    raster_height = max(1, len(units)) * row
    bars_top = raster_top + raster_height + 70
    bars_height = max(1, len(units)) * row
    height = bars_top + bars_height + 50
    canvas = Canvas(width, height)
    canvas.text(20, 16, title, scale=2)
    plot_width = width - margin - 40
    # Raster: a tick per spike, time along x.
    canvas.text(20, raster_top - 22, "SPIKE RASTER, 0 TO %.2f S" % duration, colour=BLUE)
    for index, unit in enumerate(units):
        top = raster_top + index * row
        canvas.rect(margin, top + row - 2, margin + plot_width, top + row - 1, GREY)
        canvas.text(20, top + 5, unit[:10])
        for spike in spikes.get(unit, []):
            if duration > 0 and 0 <= spike <= duration:
                x = margin + spike / duration * plot_width
                canvas.rect(x, top + 3, x + 2, top + row - 3, BLACK)
    # Rates: a bar per unit, its value written beside it.
    top_rate = max([summary[u]["rate_hz"] or 0 for u in units] + [1e-9])
    canvas.text(20, bars_top - 22, "FIRING RATE (HZ)", colour=BLUE)
    for index, unit in enumerate(units):
        top = bars_top + index * row
        rate = summary[unit]["rate_hz"] or 0
        canvas.text(20, top + 5, unit[:10])
        length = rate / top_rate * (plot_width - 280)  # room for the label
        canvas.rect(margin, top + 3, margin + length, top + row - 3, BLUE)
        canvas.text(margin + length + 8, top + 5, "%.2f HZ, %d SPIKES" % (rate, summary[unit]["spikes"]))
    with open(path, "wb") as handle:
        handle.write(canvas.png())

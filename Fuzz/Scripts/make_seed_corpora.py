#!/usr/bin/env python3
"""Writes the small GIF and MAT seed corpora under Fuzz/Corpus (the PNG seeds are some of the
generated PNG fixtures, see make_png_fixtures.py). Uses only zlib and struct; ffmpeg, when on
PATH, adds one real-encoder GIF."""
import os, struct, subprocess, zlib

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Corpus")
os.makedirs(os.path.join(root, "gif"), exist_ok=True)
os.makedirs(os.path.join(root, "mat"), exist_ok=True)

def write(kind, name, data):
    with open(os.path.join(root, kind, name), "wb") as f:
        f.write(data)

# ---- GIF ----
def lzw_uncompressed(indices, min_code_size):
    clear, bits = 1 << min_code_size, min_code_size + 1
    codes = []
    for i in indices:
        codes += [clear, i]
    codes.append(clear + 1)
    out, buf, n = bytearray(), 0, 0
    for c in codes:
        buf |= c << n; n += bits
        while n >= 8:
            out.append(buf & 0xFF); buf >>= 8; n -= 8
    if n:
        out.append(buf)
    blocks = bytearray([min_code_size])
    for s in range(0, len(out), 255):
        chunk = out[s:s + 255]
        blocks += bytes([len(chunk)]) + chunk
    return bytes(blocks + b"\x00")

def le16(v):
    return struct.pack("<H", v)

def control(disposal, delay=0, transparent=None):
    return b"\x21\xF9\x04" + bytes([disposal << 2 | (0 if transparent is None else 1)]) + le16(delay) + bytes([transparent or 0, 0])

def frame(x, y, w, h, indices, interlaced=False, local=None):
    flags = (0x40 if interlaced else 0) | ((0x80 | (0 if len(local) == 6 else 1)) if local else 0)
    return b"\x2C" + le16(x) + le16(y) + le16(w) + le16(h) + bytes([flags]) + (local or b"") + lzw_uncompressed(indices, 2)

write("gif", "transparent-pixel.gif", bytes.fromhex(
    "474946383961010001008000 00ffffff000000 21f90401000000 00 2c000000000100010000 02024401 00 3b".replace(" ", "")))
hand = b"GIF89a" + le16(4) + le16(4) + bytes([0x81, 3, 0]) + bytes([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 0])
hand += b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00"
hand += frame(0, 0, 4, 4, [1] * 16)
hand += control(2, transparent=0) + frame(1, 1, 2, 2, [1, 0, 0, 1], local=bytes([9, 9, 9, 0, 0, 255]))
hand += control(3, delay=25) + frame(2, 0, 2, 4, [2, 2, 1, 1, 0, 0, 2, 0], interlaced=True)
hand += b"\x21\xFE\x05hello\x00"  # comment extension
hand += frame(3, 3, 2, 2, [2, 2, 2, 2]) + b"\x3B"
write("gif", "hand-disposal-interlace.gif", hand)
# A real compressed stream with table growth: 16x16 diagonal pattern, LZW written by ffmpeg.
if subprocess.run(["which", "ffmpeg"], capture_output=True).returncode == 0:
    gif = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=16x12:rate=5,format=rgb24",
                          "-t", "0.6", "-f", "gif", "-"], capture_output=True, check=True).stdout
    write("gif", "ffmpeg-testsrc.gif", gif)

# ---- MAT (Level 5) ----
def header(endian="<"):
    text = b"MATLAB 5.0 MAT-file, Platform: seed, Created on: today"
    h = text + b" " * (116 - len(text)) + b"\x00" * 8
    return h + (b"\x00\x01IM" if endian == "<" else b"\x01\x00MI")

def element(t, data, endian="<", padded=True):
    pad = (8 - len(data) % 8) % 8 if padded else 0
    return struct.pack(endian + "II", t, len(data)) + data + b"\x00" * pad

def small(t, data, endian="<"):
    return struct.pack(endian + "I", len(data) << 16 | t) + data + b"\x00" * (4 - len(data))

def matrix(cls, dims, name, dtype, data, endian="<", logical=False, small_name=False):
    body = element(6, struct.pack(endian + "II", cls | (0x200 if logical else 0), 0), endian)
    body += element(5, struct.pack(endian + "%di" % len(dims), *dims), endian)
    body += small(1, name, endian) if small_name else element(1, name, endian)
    body += small(dtype, data, endian) if 0 < len(data) <= 4 else element(dtype, data, endian)
    return element(14, body, endian)

# Like the published masks: logical uint8 (H, W, T, C) = (6, 5, 4, 3), compressed, plus sx, sy.
H, W, T, C = 6, 5, 4, 3
mask = bytes(1 if (t % 2 == 0 or (h < 2 and w < 2)) else 0 for c in range(C) for t in range(T) for w in range(W) for h in range(H))
m = header()
m += element(15, zlib.compress(matrix(9, [H, W, T, C], b"masks", 2, mask, logical=True)), padded=False)
m += element(15, zlib.compress(matrix(6, [1, 1], b"sx", 2, bytes([128]), small_name=True)), padded=False)
m += element(15, zlib.compress(matrix(6, [1, 1], b"sy", 2, bytes([128]), small_name=True)), padded=False)
write("mat", "mask-like.mat", m)
# Uncompressed, little-endian: double, int16, single, char.
u = header()
u += matrix(6, [2, 3], b"A", 9, struct.pack("<6d", 1, 2, 3, 4, 5, 6.5))
u += matrix(10, [1, 3], b"i", 3, struct.pack("<3h", -5, 0, 300))
u += matrix(7, [1, 2], b"s", 7, struct.pack("<2f", 0.5, -1.25))
u += matrix(4, [1, 2], b"c", 17, "hi".encode("utf-16-le"))
u += matrix(1, [1, 1], b"cell", 14, b"")
write("mat", "numeric-le.mat", u)
# Big-endian, int64 and uint32 data in a uint8 class (casts), compressed.
e = ">"
b = header(e)
b += element(15, zlib.compress(matrix(9, [2, 2], b"u", 12, struct.pack(">4q", -1, 7, 300, 255), e)), e, padded=False)
b += matrix(13, [1, 2], b"w", 6, struct.pack(">2I", 1, 4000000000), e)
write("mat", "mixed-be.mat", b)


# Inflated element contents (FuzzMAT wraps inputs that do not start with "MATLAB" in a header
# and a compressed element): the mask alone, and sx followed by sy in one stream.
write("mat", "inner-masks.bin", matrix(9, [H, W, T, C], b"masks", 2, mask, logical=True))
write("mat", "inner-sx-sy.bin", matrix(6, [1, 1], b"sx", 2, bytes([128]), small_name=True)
      + matrix(6, [1, 1], b"sy", 2, bytes([128]), small_name=True))
print("seed corpora written to", root)

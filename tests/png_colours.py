#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Prints the colours of a PNG screenshot, for tests/cli.sh.

Usage: png_colours.py FILE.png [#rrggbb ...]
Prints "distinct N" (distinct colours), then "has #rrggbb yes|no" for each
colour asked. Reads 8-bit RGB/RGBA, non-interlaced PNGs (what Chromium
writes) with zlib only; exits 2 for anything else.
"""
import struct
import sys
import zlib


def rows(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("png_colours: %s is not a PNG" % path)
    pos, idat = 8, []
    width = height = bpp = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                print("png_colours: unsupported PNG (depth %d, colour type %d)" % (depth, ctype))
                sys.exit(2)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xff
        elif f == 2:
            line = bytearray((a + b) & 0xff for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xff
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xff
        yield line, bpp
        prev = line


def main():
    colours = set()
    for line, bpp in rows(sys.argv[1]):
        for i in range(0, len(line), bpp):
            colours.add(bytes(line[i:i + 3]))
    print("distinct %d" % len(colours))
    for want in sys.argv[2:]:
        rgb = bytes.fromhex(want.lstrip("#"))
        print("has %s %s" % (want, "yes" if rgb in colours else "no"))


main()

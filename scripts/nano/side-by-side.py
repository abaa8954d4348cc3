#!/usr/bin/env python3
"""Side-by-side crops for docs/nano.md, with the Python standard library only (no numpy/Pillow on a bare machine).

    scripts/nano/side-by-side.py OUT.png X Y SIZE LR.png [SR.png ...]

Crops the SIZE x SIZE square at (X, Y) of every SR-sized image and the matching (X/4, Y/4, SIZE/4) square of the LR
image, which is enlarged 4x by pixel repetition (so its pixels stay visible), and writes the panels left to right with
a white 6-pixel gap. Reads and writes 8-bit RGB/RGBA PNGs (non-interlaced); alpha is dropped.
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit(f'{path}: not a PNG')
    pos, idat, width = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise SystemExit(f'{path}: only 8-bit non-interlaced RGB/RGBA PNGs are supported')
            channels = 3 if colour == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if channels == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


def write_png(path, width, rows):
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)
    raw = b''.join(b'\x00' + r for r in rows)
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, len(rows), 8, 2, 0, 0, 0))
    png += chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(path, 'wb').write(png)


def crop(rows, x, y, size, repeat=1):
    out = []
    for r in rows[y:y + size]:
        line = b''.join(r[3 * i:3 * i + 3] * repeat for i in range(x, x + size))
        out.extend([line] * repeat)
    return out


def main():
    if len(sys.argv) < 7:
        raise SystemExit(__doc__)
    out, x, y, size, lr, srs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:]
    if x % 4 or y % 4 or size % 4:
        raise SystemExit('X, Y and SIZE must be multiples of 4 (the LR crop is a quarter of them)')
    panels = [crop(read_png(lr)[2], x // 4, y // 4, size // 4, repeat=4)] + [crop(read_png(p)[2], x, y, size) for p in srs]
    gap = b'\xff' * (3 * 6)
    rows = [gap.join(p[i] for p in panels) for i in range(size)]
    write_png(out, len(panels) * size + 6 * (len(panels) - 1), rows)


if __name__ == '__main__':
    main()

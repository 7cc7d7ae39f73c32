"""Whether an image file holds only what a browser needs to show it (pure): its chunks or segments, read as bytes.

Pillow reports the metadata it knows (EXIF, XMP, comments, PNG text) but skips what it does not: IPTC in a JPEG's
APP13, private PNG chunks, and anything after the end marker. So the file's own structure is read instead, and
only files made solely of the allowed parts are kept byte for byte; everything else is re-encoded from the pixels.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Header, palette, transparency, pixels, end, and the colour information a browser uses to show them.
PNG_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"}
# Simple and extended WebP, alpha and colour profile (no EXIF, XMP or animation chunks).
WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP"}
JPEG_SOS, JPEG_EOI = 0xDA, 0xD9
# Frame headers (SOF0-15 but DHT, JPG and DAC), Huffman and arithmetic tables, quantisation tables, restart interval.
JPEG_CODING = (set(range(0xC0, 0xD0)) - {0xC8}) | {0xDB, 0xDD, JPEG_SOS}
JFIF_WITHOUT_THUMBNAIL = 14  # "JFIF\0", version, units, densities, and a 0x0 thumbnail


def only_rendering_data(data: bytes, mime: str) -> bool:
    """Whether the image's structure holds nothing but the parts a browser needs, with nothing after its end."""
    check = {"image/png": _png, "image/jpeg": _jpeg, "image/webp": _webp}[mime]
    try:
        return check(data)
    except struct.error:  # a length that runs past the end of the file
        return False


def _png(data: bytes) -> bool:
    """Walk the PNG chunks up to IEND, which must be the last bytes."""
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        if kind not in PNG_CHUNKS:
            return False
        pos += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return pos == len(data)
    return False


def _webp(data: bytes) -> bool:
    """Walk the RIFF chunks; the RIFF size must cover the whole file."""
    if struct.unpack_from("<I", data, 4)[0] + 8 != len(data):
        return False
    pos = 12
    while pos + 8 <= len(data):
        kind, size = struct.unpack_from("<4sI", data, pos)
        if kind not in WEBP_CHUNKS:
            return False
        pos += 8 + size + (size & 1)  # chunks are padded to an even size
    return pos == len(data)


def _jpeg(data: bytes) -> bool:
    """Walk the JPEG segments (and the scans' coded data) up to EOI, which must be the last bytes."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == JPEG_EOI:
            return pos + 2 == len(data)
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if not _jpeg_segment_allowed(marker, data[pos + 4 : pos + 2 + length]):
            return False
        pos += 2 + length
        if marker == JPEG_SOS:
            pos = _end_of_scan(data, pos)
    return pos + 2 == len(data) and data[pos:] == b"\xff\xd9"


def _jpeg_segment_allowed(marker: int, body: bytes) -> bool:
    """Whether a segment is coding data, a JFIF header without thumbnail, an ICC profile or Adobe's colour flag."""
    if marker in JPEG_CODING:
        return True
    if marker == 0xE0:
        return body.startswith(b"JFIF\0") and len(body) == JFIF_WITHOUT_THUMBNAIL
    if marker == 0xE2:
        return body.startswith(b"ICC_PROFILE\0")
    if marker == 0xEE:
        return body.startswith(b"Adobe")
    return False


def _end_of_scan(data: bytes, pos: int) -> int:
    """Return where the marker after a scan's coded data starts (skipping stuffed bytes, restarts and fill bytes)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0xFF:
            pos += 1
        elif following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos

"""Hand-built zip files for the upload-check tests and benchmark (bombs written byte by byte).

`zipfile` takes tens of seconds and hundreds of MB to write 480,000 entries; writing the
records directly takes a second, so the tests can build the real attack file in a temp dir.
"""

import struct
from pathlib import Path

_LOCAL = struct.Struct("<4s5H3I2H")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_END = struct.Struct("<4s4H2IH")
_END64 = struct.Struct("<4sQ2H2I4Q")
_LOCATOR64 = struct.Struct("<4sIQI")
_DOS_DATE = (1 << 5) | 1  # 1980-01-01


def _entry(name: bytes, data: bytes, offset: int, *, declared_size: int | None = None):
    import zlib

    crc = zlib.crc32(data)
    size = len(data) if declared_size is None else declared_size
    local = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 0, _DOS_DATE, crc, len(data), size, len(name), 0)
    central = _CENTRAL.pack(
        b"PK\x01\x02", 20, 20, 0, 0, 0, _DOS_DATE, crc, len(data), size, len(name), 0, 0, 0, 0, 0,
        offset,
    )  # fmt: skip
    return local + name + data, central + name


def office_zip(
    *,
    empty_entries: int = 0,
    prefix: str = "word/",
    declared_entries: int | None = None,
    declared_size: int | None = None,
    mimetype: str | None = None,
) -> bytes:
    """A stored (uncompressed) zip that looks like an Office file plus `empty_entries` more.

    `declared_entries` lies about the count in the end record; `declared_size` claims that
    uncompressed size for every padding entry (a bomb by declaration). Past 65,535 entries the
    file is a zip64 archive, as `zipfile` would write it.
    """
    members = []
    if mimetype is not None:
        members.append((b"mimetype", mimetype.encode()))
    members += [
        (b"[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
        (f"{prefix}document.xml".encode(), b'<?xml version="1.0"?><doc/>'),
    ]
    locals_, centrals, offset = [], [], 0
    for name, data in members:
        local, central = _entry(name, data, offset)
        locals_.append(local)
        centrals.append(central)
        offset += len(local)
    for number in range(empty_entries):
        local, central = _entry(b"%05x" % number, b"", offset, declared_size=declared_size)
        locals_.append(local)
        centrals.append(central)
        offset += len(local)
    directory = b"".join(centrals)
    count = len(members) + empty_entries if declared_entries is None else declared_entries
    tail = b""
    if count > 0xFFFF:
        end64_offset = offset + len(directory)
        tail += _END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), offset)
        tail += _LOCATOR64.pack(b"PK\x06\x07", 0, end64_offset, 1)
        tail += _END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        tail += _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(locals_) + directory + tail


def write_bomb(folder: Path, entries: int = 480_000) -> Path:
    """The reported attack: a ~41 MB .docx with 480,000 empty entries, written to `folder`."""
    path = Path(folder) / "bomb.docx"
    path.write_bytes(office_zip(empty_entries=entries))
    return path

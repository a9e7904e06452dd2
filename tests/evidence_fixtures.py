"""Real evidence files for tests: a JPEG photo, a scanned-notice PNG, a PDF, all made on the spot."""

from __future__ import annotations

import io
from pathlib import Path


def photo(path: Path, seed: int = 0, size: tuple[int, int] = (320, 240)) -> Path:
    """A JPEG with varied content (different seeds give different bytes)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (200, 220, 240))
    draw = ImageDraw.Draw(img)
    for i in range(12):
        x = (seed * 37 + i * 23) % size[0]
        draw.rectangle([x, i * 15, x + 40, i * 15 + 30], fill=((seed * 50 + i * 20) % 256, 90, 60))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=85)
    return path


def scan(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("L", (200, 280), 255)
    draw = ImageDraw.Draw(img)
    for y in range(20, 260, 12):
        draw.line([20, y, 180, y], fill=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")
    return path


def pdf(path: Path, text: str = "Deqing notice") -> Path:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    """Relative path -> bytes for every file under ``folder`` (temp folder excluded)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".tmp" not in p.relative_to(folder).parts}

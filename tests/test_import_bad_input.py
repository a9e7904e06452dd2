"""Bad input is refused with a plain Chinese message."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from core.importers import PlanImportError, import_plan, import_text
from tests import builders as b


def _zip(names: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, content in names.items():
            z.writestr(n, content)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "空"),
    ("blank.txt", "  \n\u3000\n".encode(), "空"),
    ("binary.txt", bytes(range(256)) * 20, "二进制"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不支持"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".docx"),
    ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xlsx"),
    ("fake.docx", _zip({"readme.txt": "hi"}), "不是有效的 Word"),
    ("sheet.docx", b.xlsx([["a"]]), "Excel"),
    ("doc.xlsx", b.docx(b.para("1.x")), "Word"),
    ("broken.docx", b"PK\x03\x04garbage", "Word"),
    ("notasks.txt", "关于做好工作的通知\n请各单位认真落实。\n".encode(), "没有找到编号"),
    ("notasks.docx", b.docx(b.para("请各单位认真落实。")), "没有找到编号"),
    ("archive.zip", _zip({"a.txt": "1.x"}), "压缩包"),
])
def test_refused(tmp_path: Path, name: str, data: bytes, message: str):
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(PlanImportError, match=message):
        import_plan(f)


def test_missing_file(tmp_path: Path):
    with pytest.raises(PlanImportError, match="无法打开"):
        import_plan(tmp_path / "nope.txt")


def test_too_big_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: no 51 MB written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before size check"))
    with pytest.raises(PlanImportError, match="50 MB"):
        import_plan(f)
    os.remove(f)


def test_import_text_errors():
    with pytest.raises(PlanImportError):
        import_text("")
    with pytest.raises(PlanImportError, match="没有找到编号"):
        import_text("这是一段没有编号的文字。", "a.txt")
    assert issubclass(PlanImportError, ValueError)

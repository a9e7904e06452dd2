"""Filling the county's own template from the app: read its header, map its columns (remembered per
template), write a copy with the office's tasks filled in."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from actions.errors import ActionError
from actions.guard import XLSX, write_file
from actions.office_view import open_office
from actions.session import Session
from core.sheets.reading import SheetFileError, check_kind
from core.sheets.template import FIELDS, Header, default_mapping, fill, find_header, plan_rows
from db import sheets as sheet_q

SETTING = "template_map:"
NONE_LABEL = "（不填）"


@dataclass
class TemplateInfo:
    path: Path
    sheet: str
    header: Header
    mapping: dict[int, str | None]  # column → field key
    remembered: bool


def field_choices() -> list[tuple[str | None, str]]:
    """(key, label) of every field a column can take, the empty choice first: for the mapping dialog."""
    return [(None, NONE_LABEL), *((k, label) for k, (label, _w) in FIELDS.items())]


def _load(path: Path):
    from openpyxl import load_workbook

    try:
        check_kind(path)
    except SheetFileError as exc:
        raise ActionError(str(exc)) from None
    try:
        return load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        logging.getLogger(__name__).warning("模板无法打开：%s", path, exc_info=True)
        raise ActionError(f"{path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）") from None


def _header(wb, path: Path):
    for ws in [wb.active, *wb.worksheets]:
        header = find_header(ws)
        if header is not None:
            return ws, header
    raise ActionError(f"{path.name} 中没有找到表头（序号、工作任务、完成情况……），无法填写")


def read_template(session: Session, template: str | Path) -> TemplateInfo:
    """The template's header and its mapping: the one remembered for this header, else by the words."""
    path = Path(template).expanduser()
    if not path.is_file():
        raise ActionError(f"文件不存在：{path}")
    wb = _load(path)
    ws, header = _header(wb, path)
    mapping = default_mapping(header)
    saved = session.setting(SETTING + header.fingerprint)
    remembered = False
    if saved:
        try:
            stored = {int(k): v for k, v in json.loads(saved).items()}
        except (ValueError, AttributeError):
            stored = {}
        if stored and set(stored) == set(mapping) and all(v is None or v in FIELDS for v in stored.values()):
            mapping, remembered = stored, True
    return TemplateInfo(path, ws.title, header, mapping, remembered)


def _key_for(name: str) -> str | None:
    name = name.strip()
    if name in ("", NONE_LABEL, "none", "不填"):
        return None
    for key, (label, _w) in FIELDS.items():
        if name in (key, label):
            return key
    raise ActionError(f"未知字段：{name}（可用：{'、'.join(f'{k}（{v[0]}）' for k, v in FIELDS.items())}）")


def apply_overrides(info: TemplateInfo, overrides: dict[str, str]) -> dict[int, str | None]:
    """The mapping with the clerk's changes, given by column heading, own heading or letter."""
    from openpyxl.utils import get_column_letter

    mapping = dict(info.mapping)
    for column, name in overrides.items():
        hits = [c.index for c in info.header.columns
                if column in (c.heading, c.own, get_column_letter(c.index))]
        if not hits:
            names = "、".join(c.own for c in info.header.columns)
            raise ActionError(f"表格中没有“{column}”这一列（有：{names}）")
        for index in hits:
            mapping[index] = _key_for(name)
    return mapping


@dataclass(frozen=True)
class TemplateResult:
    path: Path
    mapping: list[tuple[str, str]]  # (column heading, field label)
    unknown: list[str]  # columns left empty
    filled: int
    unmatched: list[str]
    cut: list[str]


def fill_template(session: Session, office_name: str | None, template: str | Path, out: str | Path,
                  overrides: dict[str, str] | None = None,
                  mapping: dict[int, str | None] | None = None) -> TemplateResult:
    """Write ``out``: the template with the office's tasks filled in; the mapping used is remembered."""
    info = read_template(session, template)
    if mapping is None:
        mapping = apply_overrides(info, overrides or {})
    view = open_office(session, session.require_office(office_name))
    wb = _load(info.path)
    ws = wb[info.sheet]
    flags = sheet_q.load_flags(session.store.conn, view.plan_id, view.office.name)
    rows = plan_rows(view.plan, [t.number for t in view.assigned()], view.progress, flags)
    result = fill(ws, info.header, mapping, rows)
    buf = io.BytesIO()
    wb.save(buf)
    path = write_file(out, session.data_dir, XLSX, buf.getvalue())
    session.set_setting(SETTING + info.header.fingerprint,
                        json.dumps({str(k): v for k, v in mapping.items()}, ensure_ascii=False))
    headings = {c.index: c.heading for c in info.header.columns}
    used = [(headings[c], FIELDS[k][0]) for c, k in sorted(mapping.items()) if k is not None]
    unknown = [headings[c] for c, k in sorted(mapping.items()) if k is None]
    return TemplateResult(path, used, unknown, result.filled, result.unmatched, result.cut)

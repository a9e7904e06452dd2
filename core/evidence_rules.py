"""Rules for 佐证材料 (evidence) that need no storage: checking titles, notes, links and dates, and
turning any title into a file name every system accepts.

Titles are kept exactly as the clerk typed them (a colon included); only where a title becomes a
file name (the submission package) is it made safe, with :func:`safe_file_name`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from core.dates import parse_date

MAX_TITLE_CHARS = 200
MAX_NOTE_CHARS = 2000
MAX_URL_CHARS = 2000
MAX_FILE_BYTES = 200 * 1024 * 1024  # one evidence file
WARN_FOLDER_BYTES = 2 * 1024 ** 3  # the evidence folder as a whole: warn beyond this

# Characters Windows refuses in file names, replaced by their full-width forms, which read the same
# in a Chinese title (会议通知：第1期 stays legible).
_WINDOWS_MAP = str.maketrans({":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜",
                              "/": "／", "\\": "＼"})
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


class EvidenceError(ValueError):
    """Evidence refused; the message (Chinese) names the file or field. Nothing was added or changed."""

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _printable(ch: str) -> bool:
    # Cc: controls, Cf: invisible formatting (bidi overrides can disguise a name), Cs: lone surrogates.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs")


def _storable(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EvidenceError(f"{what}含有无法保存的字符（孤立的代理字符），请删除后重试") from None


def clean_title(title: str, what: str = "标题") -> str:
    """The title trimmed; raises EvidenceError when empty, too long or holding invisible characters."""
    if not isinstance(title, str):
        raise EvidenceError(f"{what}应为文字")
    _storable(title, what)
    text = " ".join(title.split())
    if not text:
        raise EvidenceError(f"{what}不能为空")
    if len(text) > MAX_TITLE_CHARS:
        raise EvidenceError(f"{what}过长（最多 {MAX_TITLE_CHARS} 字，实际 {len(text)} 字）")
    bad = next((ch for ch in text if not _printable(ch)), None)
    if bad is not None:
        raise EvidenceError(f"{what}含有不可见字符（U+{ord(bad):04X}），请删除后重试")
    return text


def clean_note(note: str) -> str:
    if not isinstance(note, str):
        raise EvidenceError("备注应为文字")
    _storable(note, "备注")
    if len(note) > MAX_NOTE_CHARS:
        raise EvidenceError(f"备注过长（最多 {MAX_NOTE_CHARS} 字，实际 {len(note)} 字）")
    return note


def title_from_file_name(name: str) -> str:
    """The default title: the file name without its suffix (会议照片.jpg -> 会议照片)."""
    stem = name.rsplit(".", 1)[0] if "." in name.strip(".") else name
    text = "".join(ch for ch in stem if _printable(ch))
    text = " ".join(text.split())[:MAX_TITLE_CHARS]
    return text or "未命名文件"


_BARE_HOST = re.compile(r"^(?:www\.|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]|$))", re.ASCII)


def check_url(url: str) -> str:
    """The address trimmed; only http:// and https:// addresses are accepted. An address typed without its
    scheme (www.deqing.gov.cn/xzxx/) gets http:// in front, as a browser's address bar would."""
    if not isinstance(url, str):
        raise EvidenceError("网址应为文字")
    text = url.strip()
    if not text:
        raise EvidenceError("网址不能为空")
    if len(text) > MAX_URL_CHARS:
        raise EvidenceError(f"网址过长（最多 {MAX_URL_CHARS} 个字符）")
    if any(ch.isspace() or not _printable(ch) for ch in text):
        raise EvidenceError(f"网址中不能有空格或不可见字符：{text[:80]}")
    if "://" not in text and _BARE_HOST.match(text):
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        raise EvidenceError(f"网址格式不正确：{text[:80]}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise EvidenceError(f"只能添加以 http:// 或 https:// 开头的网址：{text[:80]}")
    if not host or host.startswith(".") or ".." in host or parts.username is not None:
        raise EvidenceError(f"网址缺少正确的网站地址（域名）：{text[:80]}")
    return text


def check_seen_date(value: date | str | None, today: date | None = None) -> str | None:
    """The date as ``YYYY-MM-DD``, or None; typed forms as :func:`core.dates.parse_date` reads them (2019-1-4,
    2019年1月4日 …). A date after today is refused (a typo in the year, usually)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            raise EvidenceError(f"日期格式应为 YYYY-MM-DD（例如 2019-12-04）：{value[:20]}") from None
    if not isinstance(value, date):
        raise EvidenceError("日期格式应为 YYYY-MM-DD")
    today = today or date.today()
    if value > today:
        raise EvidenceError(f"日期 {value.isoformat()} 晚于今天，请检查年份")
    if value.year < 1990:
        raise EvidenceError(f"日期 {value.isoformat()} 太早，请检查年份")
    return value.isoformat()


def _cut_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")


def safe_file_name(name: str, max_bytes: int = 120, fallback: str = "未命名") -> str:
    """A file or folder name Windows, macOS and Linux all accept, read the same as ``name``.

    Refused characters become full-width (: -> ：), invisible ones are dropped, trailing dots and
    spaces go, reserved device names (CON, NUL, COM1…) get a leading underscore, and the name is cut
    to ``max_bytes`` of UTF-8 (paths stay well inside Windows' 260-character limit).
    """
    text = "".join(ch for ch in name.translate(_WINDOWS_MAP) if _printable(ch))
    text = " ".join(text.split())
    text = _cut_utf8(text, max_bytes).rstrip(". ").lstrip()
    if not text:
        text = fallback
    if _RESERVED.match(text.split(".", 1)[0]):
        text = "_" + text
    return text


def safe_suffix(suffix: str) -> str:
    """``.jpg`` kept (lower-cased), anything odd dropped: the suffix only helps the viewer open the file."""
    return suffix.lower() if _SUFFIX.match(suffix or "") else ""

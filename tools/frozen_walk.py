"""The frozen walk: the README's command list run against a built executable and against the source, compared.

    python tools/frozen_walk.py dist/taizhang/taizhang                      # the Linux build
    python tools/frozen_walk.py --wine dist/windows/taizhang/taizhang-cli.exe  # the Windows build, under Wine

Each command runs twice, in two work folders with Chinese names (数据 inside 冻结走查): once as
``python main.py`` from this checkout, once with the built executable. The walk asserts each exit code and that
both runs say the same: stdout and stderr, the JSON, and the files written (the text of the PDF, Word and Excel
reports, the JSON progress file, the members of the package zip). Paths, times and checksums are masked first:
the two runs differ there by nature. A module PyInstaller missed, a data file left out or a DLL that does not
load shows here as a failed command. The closing line counts the commands: ``frozen walk: N commands, N passed``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "悦城镇"
DATA = "台账数据"
COUNTY_DATA = "县府办数据"
REPORT_DATE = "2019-12-04"
MASKED_KEYS = {"size", "bytes", "sha256", "hash"}


@dataclass
class Step:
    """One command: its arguments (or a function of the work folder giving them), the exit code it must end with,
    how its stdout is compared, and the files it writes whose contents are compared."""

    name: str
    args: list[str] | Callable[[Path], list[str]]
    code: int = 0
    stdout: str = "text"  # "text" or "json"
    files: tuple[str, ...] = ()
    data: str = DATA


def _backup_file(work: Path) -> list[str]:
    made = sorted(p.name for p in (work / "备份").iterdir())
    db = [n for n in made if n.endswith(".db") or n.endswith(".sqlite")] or made
    return ["restore", f"备份/{db[0]}"]


def _package_file(work: Path) -> list[str]:
    return ["county", "import", *(f"报送/{p.name}" for p in sorted((work / "报送").glob("*.zip")))]


def _extract_into(work: Path) -> list[str]:
    (work / "取出").mkdir(exist_ok=True)  # --extract takes an existing folder, as package --out does
    return ["county", "evidence", "--office", OFFICE, "--task", "12", "--extract", "取出"]


STEPS = [
    Step("offices", ["offices"]),
    Step("offices --json", ["offices", "--json"], stdout="json"),
    Step("tasks --json", ["tasks", "--office", OFFICE, "--json"], stdout="json"),
    Step("progress set achievements", ["progress", "set", "--office", OFFICE, "--task", "12", "--field",
                                       "achievements", "--value", "办理留言12件，全部按期答复"]),
    Step("progress set status", ["progress", "set", "--office", OFFICE, "--task", "12", "--field", "status",
                                 "--value", "done"]),
    Step("progress set bad field (exit 2)", ["progress", "set", "--office", OFFICE, "--task", "12", "--field",
                                             "colour", "--value", "红"], code=2),
    Step("progress export", ["progress", "export", "--office", OFFICE, "--out", "悦城镇进度.json"],
         files=("悦城镇进度.json",)),
    Step("progress import --dry-run", ["progress", "import", "进度导入.json", "--dry-run"]),
    Step("progress import", ["progress", "import", "进度导入.json"]),
    Step("tasks --json after import", ["tasks", "--office", OFFICE, "--json"], stdout="json"),
    Step("report .pdf", ["report", "--office", OFFICE, "--out", "报告.pdf", "--date", REPORT_DATE],
         files=("报告.pdf",)),
    Step("report .docx", ["report", "--office", OFFICE, "--out", "报告.docx", "--date", REPORT_DATE],
         files=("报告.docx",)),
    Step("report .xlsx", ["report", "--office", OFFICE, "--out", "台账.xlsx", "--date", REPORT_DATE],
         files=("台账.xlsx",)),
    Step("report list", ["report", "list", "--office", OFFICE]),
    Step("evidence add", ["evidence", "add", "--office", OFFICE, "--task", "12", "会议照片.png", "--title",
                          "留言办理会议", "--date", "2019-11-20"]),
    Step("evidence link", ["evidence", "link", "--office", OFFICE, "--task", "14", "https://www.deqing.gov.cn/",
                           "--title", "县政府门户网站", "--date", "2019-11-21"]),
    Step("evidence list --json", ["evidence", "list", "--office", OFFICE, "--json"], stdout="json"),
    Step("package --out a missing folder (exit 2)", ["package", "--office", OFFICE, "--out", "没有的文件夹",
                                                    "--date", REPORT_DATE], code=2),
    Step("package", ["package", "--office", OFFICE, "--out", "报送", "--date", REPORT_DATE], files=("报送",)),
    Step("backup --out", ["backup", "--out", "备份"]),
    Step("backup list", ["backup", "list"]),
    Step("restore", _backup_file),
    Step("check", ["check"]),
    Step("plan import --dry-run .docx", ["plan", "import", "2020方案.docx", "--dry-run", "--json"], stdout="json"),
    Step("plan import --dry-run .xlsx", ["plan", "import", "2020方案.xlsx", "--dry-run", "--json"], stdout="json"),
    Step("plan import --dry-run .pdf", ["plan", "import", "2020方案.pdf", "--dry-run", "--json"], stdout="json"),
    Step("county import", _package_file, data=COUNTY_DATA),
    Step("county status --json", ["county", "status", "--json"], stdout="json", data=COUNTY_DATA),
    Step("county status", ["county", "status"], data=COUNTY_DATA),
    Step("county matrix", ["county", "matrix", "--out", "汇总.xlsx"], files=("汇总.xlsx",), data=COUNTY_DATA),
    Step("county report", ["county", "report", "--out", "汇总.pdf", "--date", REPORT_DATE], files=("汇总.pdf",),
         data=COUNTY_DATA),
    Step("county evidence --json", ["county", "evidence", "--office", OFFICE, "--task", "12", "--json"],
         stdout="json", data=COUNTY_DATA),
    Step("county evidence --extract (from the kept copy)", _extract_into, files=("取出",), data=COUNTY_DATA),
    Step("check (county: kept copies re-hashed)", ["check"], data=COUNTY_DATA),
]


# --- inputs the commands read ---------------------------------------------------------------------------
def _png(width: int = 16, height: int = 12) -> bytes:
    """A small real PNG (a red-to-blue gradient), so the evidence is an image as a clerk's photo would be."""
    rows = b"".join(b"\0" + b"".join(bytes((255 - 15 * x, 40, 15 * x)) for x in range(width)) for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PLAN_ROWS = [
    ["工作任务", "具体内容", "责任部门"],
    ["强化政策解读", "围绕重大政策，由主要负责人通过新闻发布会、访谈等方式解读，全年不少于4次。", "党政办"],
    ["强化政策解读", "政策文件与解读材料同步起草、同步审签、同步发布，做到应解读尽解读。", "党政办"],
    ["回应社会关切", "建立健全舆情收集、研判、处置和回应机制，对涉及本镇的重要舆情及时回应。", "党政办、综治办"],
    ["回应社会关切", "办好镇政府门户网站留言栏目，群众留言办理时限不超过10个工作日。", "党政办"],
]


def _plan_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("悦城镇2020年政务公开工作任务分解表")
    table = document.add_table(rows=len(PLAN_ROWS), cols=3)
    for r, row in enumerate(PLAN_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))


def _plan_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "分解表"
    for row in PLAN_ROWS:
        sheet.append(row)
    book.save(str(path))


def _plan_pdf(path: Path) -> None:
    """The same plan as a text PDF, set in the bundled 仿宋 (so its text carries a ToUnicode map, as Word's do)."""
    from reportlab.pdfgen.canvas import Canvas

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from core.report.fonts import get_fontset

    font = get_fontset("bundled").chains["body"][0].name
    canvas = Canvas(str(path))
    y = 780
    for line in ["悦城镇2020年政务公开工作要点分工方案", "一、强化政策解读",
                 "1.政策文件与解读材料同步起草、同步审签、同步发布。（牵头单位：党政办；责任单位：各村）",
                 "二、回应社会关切",
                 "2.办好镇政府门户网站留言栏目，6月底前完成。（牵头单位：党政办；责任单位：综治办）"]:
        canvas.setFont(font, 11)
        canvas.drawString(40, y, line)
        y -= 24
    canvas.save()


def prepare(work: Path) -> None:
    """The files the commands read, identical in both work folders."""
    (work / "会议照片.png").write_bytes(_png())
    _plan_docx(work / "2020方案.docx")
    _plan_xlsx(work / "2020方案.xlsx")
    _plan_pdf(work / "2020方案.pdf")
    (work / "报送").mkdir()  # the USB stick's folders
    (work / "备份").mkdir()
    progress = {"format": "taizhang-progress", "version": 1, "office": OFFICE,
                "plan": {"title": "德庆县2019年政务公开工作要点分工方案", "year": 2019}, "entries": [
        {"task": 14, "status": "in_progress", "percent": 60, "steps": "每周汇总一次县长信箱留言",
         "achievements": "办结留言8件"}]}
    (work / "进度导入.json").write_text(json.dumps(progress, ensure_ascii=False, indent=1), encoding="utf-8")


# --- running a command ------------------------------------------------------------------------------------
@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float


class Runner:
    """Runs ``args`` with the given work folder as the current directory."""

    label = "source"

    def command(self) -> list[str]:
        return [sys.executable, str(ROOT / "main.py")]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "TAIZHANG_DATA_DIR"}
        env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        return env

    def run(self, args: list[str], cwd: Path) -> Result:
        started = time.monotonic()
        done = subprocess.run([*self.command(), *args], cwd=cwd, env=self.env(), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=600)
        return Result(done.returncode, _decode(done.stdout), _decode(done.stderr), time.monotonic() - started)


class FrozenRunner(Runner):
    label = "frozen"

    def __init__(self, exe: Path) -> None:
        self.exe = exe

    def command(self) -> list[str]:
        return [str(self.exe)]


class WineRunner(FrozenRunner):
    """taizhang-cli.exe under Wine, its output through pipes read by threads (Wine cannot hand a redirected file
    to Python, and wineserver may hold the pipes open after the program ends: its exit, not EOF, ends the run)."""

    label = "frozen (Wine)"

    def __init__(self, exe: Path) -> None:
        super().__init__(exe)
        sys.path.insert(0, str(ROOT / "tools" / "windows"))
        import winbuild

        self.winbuild = winbuild

    def command(self) -> list[str]:
        return [self.winbuild.WINE64, str(self.exe)]

    def env(self) -> dict[str, str]:
        env = self.winbuild.wine_env()
        env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})  # Chinese arguments reach Windows as UTF-16 intact
        return env

    def run(self, args: list[str], cwd: Path) -> Result:
        started = time.monotonic()
        proc = subprocess.Popen([*self.command(), *args], cwd=cwd, env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        out: dict[str, bytes] = {}

        def read(name: str, stream) -> None:
            out[name] = b"".join(iter(lambda: stream.read1(65536), b""))

        readers = [threading.Thread(target=read, args=(n, s), daemon=True)
                   for n, s in (("out", proc.stdout), ("err", proc.stderr))]
        for reader in readers:
            reader.start()
        code = proc.wait(timeout=600)
        for reader in readers:
            reader.join(timeout=10)
        return Result(code, _decode(out.get("out", b"")), _decode(out.get("err", b"")), time.monotonic() - started)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="backslashreplace").replace("\r\n", "\n")


# --- what is compared -------------------------------------------------------------------------------------
class Masker:
    """Replaces what differs between two runs by nature: the work folder's path (in its Linux and Windows forms),
    times, today's date, checksums and byte sizes."""

    def __init__(self, work: Path) -> None:
        posix = str(work)
        windows = "Z:" + posix.replace("/", "\\")
        self.roots = sorted({posix, windows, windows.lower(), windows.replace("\\", "/")}, key=len, reverse=True)

    def text(self, text: str) -> str:
        for root in self.roots:
            text = re.sub(re.escape(root) + r"([^\s，。：；、（）()\"'<>]*)",
                          lambda m: "<work>" + m.group(1).replace("\\", "/"), text)
        # Relative paths as Windows prints them (备份\taizhang-…): one separator for both.
        text = re.sub(r"(?<=[\w.>])\\(?=[\w<])", "/", text)
        text = re.sub(r"\b([0-9a-f]{64}|[0-9a-f]{12})\b", "<sha256>", text)
        text = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?", "<time>", text)
        text = re.sub(r"\d{8}[-_T]?\d{4,6}", "<stamp>", text)
        text = re.sub(r"\b\d{1,2}:\d{2}(:\d{2})?\b", "<time>", text)
        today = date.today()
        for form in (today.isoformat(), f"{today:%Y%m%d}", f"{today.year}年{today.month}月{today.day}日"):
            text = text.replace(form, "<today>")
        text = re.sub(r"<stamp>-\d+-", "<stamp>-", text)  # a second file within the same second
        text = re.sub(r"\d[\d,.]*\s?(bytes|字节|KB|MB|GB|kB|B)\b", "<size>", text)
        return text

    def value(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):  # a zip's or an Office file's size and hash change with the time inside
            return {k: "<masked>" if k in MASKED_KEYS else self.value(v) for k, v in value.items()}
        return value


def file_view(path: Path, masker: Masker):
    """What a clerk would read in a file: the text of a PDF, the paragraphs and tables of a .docx, the cells of
    a .xlsx, the JSON of a progress file, the members of a zip (each read the same way); else its sha256."""
    if path.is_dir():
        return {p.name: file_view(p, masker) for p in sorted(path.iterdir())}
    return _bytes_view(path.name, path.read_bytes(), masker)


def _bytes_view(name: str, data: bytes, masker: Masker):
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return [masker.text(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]
    if suffix == ".docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
        return masker.value({"paragraphs": [p.text for p in document.paragraphs], "tables": cells})
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            return masker.value({s.title: _sheet_view(s) for s in book.worksheets})
        finally:
            book.close()
    if suffix == ".json":
        return masker.value(json.loads(data.decode("utf-8")))
    if suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {masker.text(i.filename): _bytes_view(i.filename, z.read(i), masker) for i in z.infolist()
                    if not i.is_dir()}
    if suffix in (".txt", ".csv", ".html", ".md"):
        return masker.text(data.decode("utf-8", errors="replace").replace("\r\n", "\n"))
    return hashlib.sha256(data).hexdigest()


def _sheet_view(sheet) -> list[list]:
    """The cells' values; a 大小 (size) column is masked below its heading: Office files' sizes vary with the
    time stamped inside them."""
    rows, masked = [], set()
    for row in sheet.iter_rows(values_only=True):
        values = [_cell(v) for v in row]
        rows.append(["<size>" if i in masked and isinstance(v, int) else v for i, v in enumerate(values)])
        masked |= {i for i, v in enumerate(values) if isinstance(v, str) and v.startswith("大小")}
    return rows


def _cell(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def view(step: Step, result: Result, work: Path, masker: Masker) -> dict:
    out: object = masker.text(result.stdout)
    if step.stdout == "json" and result.code == 0:
        try:
            out = masker.value(json.loads(result.stdout))
        except ValueError:
            out = "not JSON: " + out
    files = {}
    for name in step.files:
        path = work / name
        files[name] = file_view(path, masker) if path.exists() else "(missing)"
    return {"code": result.code, "stdout": out, "stderr": masker.text(result.stderr), "files": files}


def first_difference(a, b, where: str = "") -> str:
    """Where two views first differ, in a line a reader can follow."""
    if type(a) is not type(b):
        return f"{where or 'value'}: {str(a)[:300]!r} ≠ {str(b)[:300]!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return f"{where}/{key}: only in {'source' if key in a else 'frozen'}"
            if a[key] != b[key]:
                return first_difference(a[key], b[key], f"{where}/{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items ≠ {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    if isinstance(a, str) and a != b:
        line, x, y = next((i, x, y) for i, (x, y) in enumerate(zip_longest(a.splitlines(), b.splitlines()))
                          if x != y)
        return f"{where} line {line + 1}: source {x!r}, frozen {y!r}"
    return f"{where}: {a!r} ≠ {b!r}"


# --- the walk -------------------------------------------------------------------------------------------------
@dataclass
class Walk:
    runner: Runner
    work: Path
    masker: Masker = field(init=False)
    views: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.work.mkdir(parents=True)
        prepare(self.work)
        self.masker = Masker(self.work)

    def step(self, step: Step) -> tuple[Result, dict]:
        args = step.args(self.work) if callable(step.args) else step.args
        result = self.runner.run([*args, "--data-dir", step.data], self.work)
        self.seconds += result.seconds
        return result, view(step, result, self.work, self.masker)


def walk(runner: Runner, keep: bool = False) -> int:
    top = Path(tempfile.mkdtemp(prefix="taizhang-walk-"))
    source = Walk(Runner(), top / "源码走查")
    frozen = Walk(runner, top / "冻结走查")
    passed = 0
    try:
        for step in STEPS:
            s_result, s_view = source.step(step)
            f_result, f_view = frozen.step(step)
            problems = []
            if s_result.code != step.code:
                problems.append(f"the source exited {s_result.code}, not {step.code}: {s_result.stderr.strip()[-400:]}")
            if f_result.code != step.code:
                problems.append(f"the build exited {f_result.code}, not {step.code}: "
                                f"{(f_result.stderr.strip() or f_result.stdout.strip())[-600:]}")
            elif s_view != f_view:
                problems.append("output differs from the source: " + first_difference(s_view, f_view))
            shown = " ".join(step.args(frozen.work) if callable(step.args) else step.args)
            if problems:
                print(f"FAIL  {step.name}  ({f_result.seconds:.1f} s)  taizhang {shown}", flush=True)
                for problem in problems:
                    print(f"      {problem}", flush=True)
            else:
                passed += 1
                print(f"ok    {step.name}  ({f_result.seconds:.1f} s)", flush=True)
    finally:
        if keep:
            print(f"work folders kept in {top}")
        else:
            shutil.rmtree(top, ignore_errors=True)
    print(f"time in commands: source {source.seconds:.0f} s, {runner.label} {frozen.seconds:.0f} s")
    print(f"frozen walk: {len(STEPS)} commands, {passed} passed")
    return 0 if passed == len(STEPS) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path, help="the built executable (taizhang, or taizhang-cli.exe with --wine)")
    parser.add_argument("--wine", action="store_true", help="run the executable under Wine")
    parser.add_argument("--keep", action="store_true", help="keep the work folders for a look")
    args = parser.parse_args(argv)
    if not args.exe.is_file():
        print(f"frozen walk: {args.exe} not found; build it first", file=sys.stderr)
        return 1
    exe = args.exe.resolve()
    return walk(WineRunner(exe) if args.wine else FrozenRunner(exe), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())

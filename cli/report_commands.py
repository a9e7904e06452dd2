"""The report commands: build and archive the 落实情况报告, list archived reports, reprint one."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path

from cli.context import Context, UserError
from core.report import (
    MISSING_MARKER,
    FontError,
    ReportOptions,
    ReportWriteError,
    build_report,
    content_hash,
    missing_glyphs,
    write_pdf_atomic,
)

_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by reportlab (its page objects are never inside compressed streams)."""
    return len(_PAGE_RE.findall(pdf))


def parse_report_date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text.strip()):
            raise ValueError(text)
        y, m, d = (int(x) for x in text.strip().split("-"))
        return date(y, m, d)
    except ValueError:
        raise UserError(f"日期不对：{text}（请写成 年-月-日，例如 2019-12-04）") from None


def output_path(text: str | None) -> Path:
    """The PDF to write; refused (exit 2) when its folder is missing or it is a folder itself."""
    if not text:
        raise UserError("请用 --out 指定要保存的 PDF 文件，例如 --out 落实情况报告.pdf")
    out = Path(text).expanduser()
    if out.is_dir():
        raise UserError(f"--out 应是文件名，不是文件夹：{out}")
    if not out.parent.is_dir():
        raise UserError(f"保存位置不存在：{out.parent}")
    if not os.access(out.parent, os.W_OK):
        raise UserError(f"没有权限在这个文件夹保存文件：{out.parent}")
    return out


def _write(out: Path, data: bytes) -> bool:
    """Write atomically; on failure print the plain message and keep any earlier file."""
    try:
        write_pdf_atomic(out, data)
    except ReportWriteError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return False
    return True


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.office(args.office)
    report_date = parse_report_date(args.date)
    out = output_path(args.out)
    plan_id = ctx.store.current_plan_id()
    plan = ctx.store.plan(plan_id)
    roles = ctx.store.roles(plan, plan_id, office)
    progress = ctx.store.progress(plan_id, office.name)
    texts = ctx.store.report_texts(plan_id, office.name)
    options = ReportOptions(office=office.name, report_date=report_date, include_ledger=not args.no_ledger,
                            font_choice=args.fonts)
    try:
        missing = missing_glyphs(plan, roles, progress, texts, options)
        if missing:
            chars = "".join(sorted(missing))
            print(f"警告：以下字符没有可用的字体，将印成“{MISSING_MARKER}”：{chars}", file=sys.stderr)
        data = build_report(plan, roles, progress, texts, options)
    except FontError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not _write(out, data):
        return 1
    sha = content_hash(data)
    settings = {"include_ledger": options.include_ledger, "include_chart": options.include_chart,
                "font_choice": options.font_choice}
    report_id = ctx.store.archive_report(plan_id, office.name, report_date.isoformat(), sha, settings, data)
    print(f"已生成 {out}（{page_count(data)} 页，SHA-256 {sha}），已存档为第 {report_id} 号", file=sys.stderr)
    return 0


def cmd_report_list(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.office(args.office)
    plan_id = ctx.store.current_plan_id()
    reports = ctx.store.archived_reports(plan_id, office.name)
    if not reports:
        print(f"{office.name} 在当前方案下还没有存档的报告", file=sys.stderr)
    for r in reports:
        print(f"{r.id}\t{r.report_date}\t{r.sha256[:12]}\t{r.created_at}")
    return 0


def cmd_report_reprint(ctx: Context, args: argparse.Namespace) -> int:
    out = output_path(args.out)
    try:
        data = ctx.store.archived_pdf(args.id)
    except KeyError:
        raise UserError(f"没有编号为 {args.id} 的存档报告（可用 report list 查看）") from None
    if not _write(out, data):
        return 1
    print(f"已重印第 {args.id} 号报告到 {out}（{page_count(data)} 页，SHA-256 {content_hash(data)}）",
          file=sys.stderr)
    return 0

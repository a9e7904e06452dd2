"""The report commands: build, write and archive the 落实情况报告; list archived reports; reprint one."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from actions import report_texts, reports
from cli.context import Context, UserError, say
from core.cn import cn_number
from core.dates import parse_date
from core.report import MISSING_MARKER


def parse_report_date(text: str | None, default: date) -> date:
    """``--date`` as typed (core.dates: 2019-1-4, 2019/1/4, 2019年1月4日 …); the default when not given."""
    if not text:
        return default
    try:
        return parse_date(text)
    except ValueError:
        raise UserError(f"日期不对：{text}（请写成 年-月-日，例如 2019-12-04）") from None


def report_format(out: str | None) -> str:
    """The format follows the file name: .pdf, .docx or .xlsx."""
    if not out:
        raise UserError("请用 --out 指定要保存的文件，例如 --out 落实情况报告.pdf（也可以是 .docx 或 .xlsx）")
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in reports.FORMATS:
        raise UserError(f"--out 的文件名应以 .pdf、.docx 或 .xlsx 结尾：{Path(out).name}")
    return suffix


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.session
    office = session.require_office(args.office)
    fmt = report_format(args.out)
    report_date = parse_report_date(args.date, reports.default_report_date(session.plan()))
    reports.check_output(session, args.out, fmt)  # refuse a bad target before the work
    request = reports.ReportRequest(office, report_date, include_ledger=not args.no_ledger, fonts=args.fonts, fmt=fmt,
                                    xlsx_paper=getattr(args, "paper", "a4"))
    inputs = reports.snapshot(session, office)
    built = reports.build_from(inputs, request)
    for warning in built.warnings:
        say(f"注意：{warning}")
    if built.missing:
        say(f"警告：以下字符没有可用的字体，将印成“{MISSING_MARKER}”：")
        for line in reports.missing_where(inputs, built.missing):
            say(f"  {line}")
    saved = reports.save(session, built, args.out, allow_empty=args.allow_empty)
    pages = f"{built.pages} 页，" if built.pages else ""
    archived = (f"已存档为第 {saved.archive_id} 号" if saved.newly_archived
                else f"与已存档的第 {saved.archive_id} 号内容相同，未重复存档")
    say(f"已生成 {saved.path}（{pages}SHA-256 {built.sha256}），{archived}")
    return 0


def cmd_report_list(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.session.require_office(args.office)
    found = reports.archived(ctx.session, office)
    if not found:
        say(f"{office.name} 在当前方案下还没有存档的报告")
    for r in found:
        print(f"{r.id}\t{r.report_date}\t{r.format}\t{r.sha256[:12]}\t{r.created_at}")
    return 0


def cmd_report_reprint(ctx: Context, args: argparse.Namespace) -> int:
    path, data = reports.reprint(ctx.session, args.id, args.out)
    pages = reports.page_count(data)
    say(f"已重印第 {args.id} 号报告到 {path}（{pages} 页，SHA-256 {reports.content_hash(data)}）")
    return 0


def cmd_report_texts(ctx: Context, args: argparse.Namespace) -> int:
    """Show the report texts, set some (``--set``, ``--file``: all checked, then saved at once), or show drafts."""
    session = ctx.session
    office = session.require_office(args.office)
    plan = session.plan()
    if args.draft:
        found = report_texts.drafts(session, office)
        if not found:
            say("还没有填写成效做法，无法生成草稿")
        for section, text in found.items():
            print(f"{cn_number(section + 1)}、{plan.sections[section].title}\n{text}\n")
        return 0
    updates: dict[str, str] = report_texts.read_texts_file(args.file) if args.file else {}
    updates.update({name: value for name, value in args.set})
    if updates:
        report_texts.set_texts(session, office, updates)
        say(f"已保存 {len(updates)} 项报告文字")
    value = reports.texts(session, session.current_plan_id(), office)
    for name, field in (("开头段落", "opening"), ("成效做法概述", "achievements_intro"),
                        ("存在问题", "problems_intro"), ("下一步措施", "next_steps_intro"), ("结尾段落", "closing"),
                        ("联系人", "contact_name"), ("联系电话", "contact_phone"), ("落款单位", "signer"),
                        ("报送轮次", "round_label")):
        print(f"{name}\t{getattr(value, field)}")
    print(f"加盖印章\t{'是' if value.sealed else '否'}")
    print(f"篇幅\t{'详细' if value.detailed else '简要'}")
    for i, section in enumerate(plan.sections):
        print(f"{cn_number(i + 1)}、{section.title}\t{value.summary(i)}")
    return 0

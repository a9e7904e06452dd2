"""The collecting side's commands: county import / remove / evidence / status / matrix / report."""

from __future__ import annotations

import argparse
from pathlib import Path

from actions import county, county_evidence
from cli.commands import print_json
from cli.context import Context, UserError, field, say
from cli.report_commands import parse_report_date
from core.report import MISSING_MARKER

_RESULT_WORDS = {county.IMPORTED: "已导入", county.UNCHANGED: "未变化", county.REFUSED: "未导入"}


def cmd_county_import(ctx: Context, args: argparse.Namespace) -> int:
    summary = county.import_packages(ctx.session, args.files)
    for o in summary.outcomes:
        if o.result == county.REFUSED:  # each on one line, whatever a file name or manifest holds
            say(field(f"未导入：{o.message}"))
        else:
            say(field(f"{_RESULT_WORDS[o.result]}：{o.path.name}（{o.office}，{o.report_date}）{o.message}"))
    say(f"共 {len(summary.outcomes)} 个文件：导入 {len(summary.imported)} 个，未变化 {len(summary.unchanged)} 个，"
        f"未导入 {len(summary.refused)} 个")
    return 0 if summary.ok else 2


def cmd_county_remove(ctx: Context, args: argparse.Namespace) -> int:
    if not args.office:
        raise UserError("请用 --office 指定要移出哪个单位的报送材料，例如 --office 悦城镇")
    done = county.remove_package(ctx.session, args.office, args.date)
    p = done.package
    say(f"已移出{p.office}报告日期为 {p.report_date} 的报送材料（“{p.file_name}”），移出前已自动备份；"
        "该单位的压缩包本身未改动，需要时可重新导入。")
    if done.current is not None:
        say(f"{p.office}现以报告日期为 {done.current.report_date} 的一份（“{done.current.file_name}”）为准。")
    else:
        say(f"{p.office}现为未报送。")
    return 0


def cmd_county_evidence(ctx: Context, args: argparse.Namespace) -> int:
    if not args.office:
        raise UserError("请用 --office 指定单位，例如 --office 悦城镇")
    d = county.cell_detail(ctx.session, ctx.session.require_office(args.office).name, args.task)
    if d.package is None:
        raise UserError(f"还没有导入{d.office}的报送材料")
    items = county_evidence.entries(d.evidence)
    if args.json:
        print_json([e.as_json() for e in items])
    elif not items:
        say(f"{d.office}的报送材料（报告日期 {d.package.report_date}）中，任务{d.task}没有佐证材料")
    for e in [] if args.json else items:  # a tab or line break in a title or name: escaped
        print("\t".join(field(v) for v in (e.number, e.title, e.file_name, e.size_text, e.seen_date, e.url)))
    if not args.extract:
        return 0
    where = Path(args.package) if args.package else Path.cwd()
    data_dir = ctx.session.data_dir
    found = county_evidence.find_package(d.package, [where], data_dir)
    if found is None:
        raise UserError(county_evidence.not_found(d.package) + f"在 {where} 没有找到它。"
                        "请用 --package 指明该压缩包或它所在的文件夹。")
    written = county_evidence.extract_all(data_dir, found, d.package, items, args.extract)
    for path in written:
        say(f"已取出（只读）：{path}")
    source = ("数据文件夹中保存的副本" if found == county_evidence.kept_copy(d.package, data_dir)
              else f"“{found.name}”")
    say(f"共取出 {len(written)} 个文件（从{source}，已按导入时的清单核对）")
    return 0


def cmd_county_status(ctx: Context, args: argparse.Namespace) -> int:
    status = county.county_status(ctx.session)
    if args.json:
        print_json(status)
        return 0
    offices = status["offices"]
    print(f"{status['plan']['title']}：应报送 {offices['expected']} 个单位，已报送 {offices['received']} 个，"
          f"未报送 {offices['missing']} 个")
    labels = {"done": "已完成", "ongoing": "持续推进", "in_progress": "推进中", "not_started": "未开始",
              "not_applicable": "不适用"}
    slow = f"（其中进展缓慢 {status['slow']}）" if status["slow"] else ""
    print("已报送单位的任务：" + "，".join(f"{labels[k]} {v}" for k, v in status["counts"].items())
          + f"，未填写 {status['unfilled']}{slow}；完成率 {status['done_rate']}")
    for r in status["received"]:
        late = "（逾期）" if r["late"] else ""
        print(f"已报送\t{field(r['office'])}\t{r['report_date']}{late}\t{field(r['file_name'])}")
    for r in status["missing"]:
        print(f"未报送\t{field(r['office'])}\t涉及 {r['assigned']} 项任务")
    return 0


def cmd_county_matrix(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.session
    m = county.scoped(session, county.matrix(session), lead=args.lead, kind=args.kind, section=args.section,
                      overdue=args.overdue)
    path = county.write_matrix(session, m, args.out)
    say(f"已生成 {path}（{len(m.tasks)} 项任务 × {len(m.columns)} 个单位，已报送 {len(m.received)} 个）")
    return 0


def cmd_county_report(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.session
    if not args.out:
        raise UserError("请用 --out 指定要保存的文件，例如 --out 汇总报告.pdf")
    fmt = Path(args.out).suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        raise UserError(f"--out 的文件名应以 .pdf 或 .docx 结尾：{Path(args.out).name}")
    collector = county.collector_for(session, args.office, args.lead)
    from actions.reports import default_report_date

    report_date = parse_report_date(args.date, default_report_date(session.plan()))
    report = county.build_report(session, collector=collector, report_date=report_date, lead=bool(args.lead),
                                 fmt=fmt, fonts=args.fonts, section_chars=args.section_chars)
    for warning in report.content.warnings:
        say(f"注意：{warning}")
    if report.missing:
        say(f"警告：以下字符没有可用的字体，将印成“{MISSING_MARKER}”：{''.join(sorted(report.missing))}")
    path = county.save_report(session, report, args.out)
    pages = f"{report.pages} 页，" if report.pages else ""
    say(f"已生成 {path}（{collector.name}，{pages}SHA-256 {report.sha256}）")
    return 0

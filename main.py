"""落实台账: parse the command line and dispatch to the GUI or a command."""

from __future__ import annotations

import contextlib
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

APP_NAME = "落实台账"
#: The options a window start may carry, and whether each takes a value (see :func:`gui_start_args`).
GUI_OPTIONS = {"--data-dir": True, "--office": True, "--debug": False, "--smoke-test": False}


def gui_start_args(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of a window start (no command, only the options above), read without argparse.

    Building every command's parser costs ~15 ms, a fifth of a cold start; anything else (a command, --help,
    an abbreviation, a missing value) returns None and the full parser decides, with its messages.
    """
    values: dict[str, object] = {"data_dir": None, "office": None, "debug": False, "smoke_test": False}
    tokens = iter(argv)
    for token in tokens:
        name, eq, value = token.partition("=")
        takes_value = GUI_OPTIONS.get(name)
        if takes_value is None or (eq and not takes_value):
            return None
        if takes_value and not eq:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
        values[name[2:].replace("-", "_")] = value if takes_value else True
    return SimpleNamespace(command=None, **values)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from cli.county_parser import add_county_parser
    from cli.sheet_parser import add_sheet_parsers

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据文件夹（也可用环境变量 TAIZHANG_DATA_DIR）")
    common.add_argument("--office", default=argparse.SUPPRESS, help="以哪个单位的身份操作")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="出错时显示完整的错误信息")
    common.add_argument("--smoke-test", action="store_true", default=argparse.SUPPRESS,
                        help="自检：在临时文件夹中打开数据库、主窗口和报告后退出")

    parser = argparse.ArgumentParser(prog="taizhang", description=f"{APP_NAME}：分工方案落实情况台账", parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser("offices", parents=[common], help="列出单位")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func="commands.cmd_offices")

    p = sub.add_parser("tasks", parents=[common], help="列出方案任务及本单位角色和进度")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func="commands.cmd_tasks")

    p = sub.add_parser("progress", parents=[common], help="导入或导出落实情况")
    psub = p.add_subparsers(dest="progress_command", metavar="操作", required=True)
    pi = psub.add_parser("import", parents=[common],
                         help="从 JSON 文件导入（只改文件中写明的字段；全部成功或全部不写入）")
    pi.add_argument("file")
    pi.add_argument("--dry-run", action="store_true", help="只列出会改变的内容（逐个字段），不写入")
    pi.add_argument("--force", action="store_true", help="文件中的记录比已保存的旧时也覆盖")
    pi.set_defaults(func="commands.cmd_progress_import")
    pe = psub.add_parser("export", parents=[common], help="导出为 JSON 文件")
    pe.add_argument("--out", required=True)
    pe.set_defaults(func="commands.cmd_progress_export")
    ps = psub.add_parser("set", parents=[common],
                         help="改一项任务的一个字段（状态、进度、责任股室、完成时限、落实情况或进展缓慢标记）")
    ps.add_argument("--task", type=int, required=True, help="任务序号")
    ps.add_argument("--field", required=True,
                    help="status / percent / owner / due / steps / achievements / problems / next_steps / "
                         "slow（进展缓慢，值为 是 或 否）")
    ps.add_argument("--value", required=True,
                    help="新的内容（完成时限写成 年-月-日，空字符串表示清除；slow 写 是 或 否）")
    ps.set_defaults(func="commands.cmd_progress_set")
    add_sheet_parsers(psub, common)

    p = sub.add_parser("plan", parents=[common], help="导入、列出、切换分工方案")
    plsub = p.add_subparsers(dest="plan_command", metavar="操作", required=True)
    pl = plsub.add_parser("import", parents=[common], help="导入方案（网页文字、.html、.docx、.xlsx、.csv）")
    pl.add_argument("file", help="方案文件；写 - 则从标准输入读取（如粘贴的表格）")
    pl.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    pl.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
    pl.add_argument("--carry-over", action="store_true", help="把当前方案中相似任务的记录带入新方案作为起点")
    pl.add_argument("--as-office", metavar="单位", help="按这个单位（不必在单位列表中）标出每项任务的角色及依据")
    pl.add_argument("--office-kind", choices=("town", "department"), default=None,
                    help="--as-office 单位的类别：town（镇、乡、街道）或 department（部门）；不写则按名称判断")
    pl.add_argument("--office-alias", action="append", default=[], metavar="别名",
                    help="--as-office 单位的其他名称（可写多次），如 悦城镇人民政府")
    pl.set_defaults(func="plan_commands.cmd_plan_import")
    pl = plsub.add_parser("list", parents=[common], help="列出已导入的方案")
    pl.set_defaults(func="plan_commands.cmd_plan_list")
    pl = plsub.add_parser("use", parents=[common], help="切换当前方案")
    pl.add_argument("id", type=int)
    pl.set_defaults(func="plan_commands.cmd_plan_use")

    p = sub.add_parser("report", parents=[common], help="生成落实情况报告（PDF、Word 或 Excel 台账，自动存档）")
    p.add_argument("--out", help="保存为哪个文件：.pdf、.docx 或 .xlsx")
    p.add_argument("--date", help="成文日期，年-月-日（默认今天；方案截止日期已过时为截止日前一天）")
    p.add_argument("--allow-empty", action="store_true", help="还没有填写任何落实情况时，也生成并存档")
    p.add_argument("--no-ledger", action="store_true", help="不附落实情况台账")
    p.add_argument("--fonts", choices=("auto", "bundled"), default="auto", help="auto：优先用本机的公文字体")
    p.add_argument("--paper", choices=("a4", "a3"), default="a4",
                   help="Excel 台账的打印纸张：a4 横向（列少而窄、自动换行）或 a3 横向（全部列），字号都不小于9磅")
    p.set_defaults(func="report_commands.cmd_report")
    rsub = p.add_subparsers(dest="report_command", metavar="操作")
    rp = rsub.add_parser("list", parents=[common], help="列出本单位已存档的报告")
    rp.set_defaults(func="report_commands.cmd_report_list")
    rp = rsub.add_parser("reprint", parents=[common], help="把存档的报告原样另存为 PDF")
    rp.add_argument("id", type=int)
    rp.add_argument("--out", required=True)
    rp.set_defaults(func="report_commands.cmd_report_reprint")
    rp = rsub.add_parser("texts", parents=[common],
                         help="查看或设置报告文字：开头、结尾、各部分概述、联系人、落款单位、印章、简要/详细")
    rp.add_argument("--set", nargs=2, action="append", metavar=("名称", "内容"), default=[],
                    help="例如 --set 开头段落 \"…\"、--set 一 \"第一部分的概述\"、--set 篇幅 详细（可重复）")
    rp.add_argument("--file", help="UTF-8 的 JSON 文件：{\"名称\": \"内容\", …}，与 --set 的名称相同")
    rp.add_argument("--draft", action="store_true", help="列出按各任务成效做法拼成的各部分草稿（只显示，不保存）")
    rp.set_defaults(func="report_commands.cmd_report_texts")

    p = sub.add_parser("evidence", parents=[common], help="佐证材料：添加文件或网页链接、列出、移除")
    esub = p.add_subparsers(dest="evidence_command", metavar="操作", required=True)
    ea = esub.add_parser("add", parents=[common], help="把文件复制进数据文件夹，作为某项任务的佐证材料")
    ea.add_argument("--task", type=int, required=True, help="任务序号")
    ea.add_argument("files", nargs="+", help="照片、扫描件、Word、Excel 等任意文件（每个不超过 200 MB）")
    ea.add_argument("--title", help="标题（默认为文件名）")
    ea.add_argument("--note", help="备注")
    ea.add_argument("--date", help="拍摄或形成日期，年-月-日")
    ea.set_defaults(func="evidence_commands.cmd_evidence_add")
    el = esub.add_parser("link", parents=[common], help="添加网页链接（标题、查看日期、可选截图）")
    el.add_argument("--task", type=int, required=True, help="任务序号")
    el.add_argument("url", help="网址（http 或 https）")
    el.add_argument("--title", required=True, help="标题")
    el.add_argument("--date", help="查看日期，年-月-日（默认今天）")
    el.add_argument("--screenshot", help="网页截图文件")
    el.add_argument("--note", help="备注")
    el.set_defaults(func="evidence_commands.cmd_evidence_link")
    ls = esub.add_parser("list", parents=[common], help="列出本单位的佐证材料")
    ls.add_argument("--task", type=int, help="只列这项任务的")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func="evidence_commands.cmd_evidence_list")
    er = esub.add_parser("remove", parents=[common], help="把一项佐证材料移到回收站（--undo 恢复）")
    er.add_argument("id", type=int, help="evidence list 第一列的编号")
    er.add_argument("--undo", action="store_true", help="从回收站恢复")
    er.set_defaults(func="evidence_commands.cmd_evidence_remove")

    p = sub.add_parser("package", parents=[common],
                       help="生成报送材料压缩包：报告 PDF 和 Word、台账 Excel、进度文件、佐证材料")
    p.add_argument("--out", help="保存到哪个文件夹（如U盘）或 .zip 文件")
    p.add_argument("--date", help="成文日期，年-月-日")
    p.add_argument("--fonts", choices=("auto", "bundled"), default="auto", help="auto：优先用本机的公文字体")
    p.add_argument("--allow-empty", action="store_true", help="还没有填写任何落实情况时，也生成")
    p.add_argument("--allow-large", action="store_true", help="超过 2 GB 时也生成")
    p.set_defaults(func="package_commands.cmd_package")

    add_county_parser(sub, common)

    p = sub.add_parser("check", parents=[common], help="检查数据库完整性和佐证材料文件")
    p.set_defaults(func="commands.cmd_check")

    p = sub.add_parser("backup", parents=[common], help="备份数据库到文件夹（如U盘）或文件；backup list 列出自动备份")
    p.add_argument("--out", help="目标文件夹或文件")
    p.set_defaults(func="backup_commands.cmd_backup")
    bsub = p.add_subparsers(dest="backup_command", metavar="操作")
    bp = bsub.add_parser("list", parents=[common], help="列出数据文件夹中的自动备份")
    bp.set_defaults(func="backup_commands.cmd_backup_list")

    p = sub.add_parser("restore", parents=[common], help="从备份文件恢复（先自动备份当前数据）")
    p.add_argument("file")
    p.add_argument("--evidence-only", action="store_true", help="只从这份备份取回缺失或损坏的佐证材料文件")
    p.set_defaults(func="backup_commands.cmd_restore")
    return parser


def _handler(name: str):
    """The command's function, imported only now: building the parser stays cheap for the GUI start."""
    import importlib

    module, func = name.rsplit(".", 1)
    return getattr(importlib.import_module(f"cli.{module}"), func)


def _use_utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    _use_utf8_output()
    argv = sys.argv[1:] if argv is None else argv
    args = gui_start_args(argv) or build_parser().parse_args(argv)
    for name, default in (("data_dir", None), ("office", None), ("debug", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if getattr(args, "smoke_test", False):
        from cli.smoke import run_smoke_test

        return run_smoke_test()
    if args.command is None:
        import gc

        # The window's start builds objects that live as long as it does; collecting them over and over on
        # the way is ~10 ms of the first paint. run_gui turns the collector back on right after that paint.
        gc.disable()
        try:
            from gui import xcb_check

            if xcb_check.main():  # Qt would abort with a list of plugin names: the missing packages were named
                return 1
            # The folder's lock and its open-time check first: the check runs on its own thread while
            # QtWidgets and the window's modules load (gui/early_open.py).
            from gui.early_open import EarlyOpen

            early = EarlyOpen(args.data_dir)
            from gui.app import run_gui

            return run_gui(args, early)
        finally:
            gc.enable()

    import logging
    import traceback

    from actions.errors import ActionError, StorageError
    from cli.context import Context, say

    handler = _handler(args.func)

    from actions.log import setup_logging
    from core.paths import resolve_data_dir

    setup_logging(resolve_data_dir(args.data_dir), f"command {args.func}")
    log = logging.getLogger("taizhang.cli")
    ctx = None
    try:
        ctx = Context.open(args.data_dir)
        for notice in ctx.session.notices:  # recovery from a damaged file, failed backups, network share
            say(f"注意：{notice.message}")
        return int(handler(ctx, args))
    except ActionError as exc:
        log.info("refused: %s", exc)
        say(f"错误：{exc}")  # the message may quote a file name or title: made safe for the terminal
        return 2
    except StorageError as exc:
        log.warning("storage: %s", exc.message)
        say(f"错误：{exc.message}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head, say
        return 0
    except Exception as exc:  # our bug: say so plainly, details only with --debug (and always in the log)
        log.exception("internal error")
        if args.debug:
            traceback.print_exc()
        else:
            print(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详细信息）", file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.session.close()


if __name__ == "__main__":
    sys.exit(main())

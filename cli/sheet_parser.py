"""Arguments of ``progress sheet`` and ``progress fill-template`` (kept apart from main.py; importing is free)."""

from __future__ import annotations

import argparse


def add_sheet_parsers(psub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Under ``progress``: the sheet for the 股室, its answers, and the county's own template."""
    p = psub.add_parser("sheet", parents=[common],
                        help="生成发给股室填写的 Excel 表（每个股室一张工作表）；sheet import 导入填好的表")
    p.add_argument("--out", help="保存为哪个 .xlsx 文件")
    p.add_argument("--section", help="只生成这个股室的表（按任务的“责任股室/责任人”；未填的归“未分配”）")
    p.set_defaults(func="sheet_commands.cmd_sheet")
    ssub = p.add_subparsers(dest="sheet_command", metavar="操作")
    si = ssub.add_parser("import", parents=[common],
                         help="导入股室填好的表：逐项列出现有内容和股室填报，加 --yes 才写入")
    si.add_argument("files", nargs="+", metavar="F.xlsx")
    si.add_argument("--dry-run", action="store_true", help="只列出，不写入")
    si.add_argument("--yes", action="store_true",
                    help="按列出的选择写入（无冲突的采用股室填报；冲突的文字两者都保留，状态和进度保留现有）")
    si.add_argument("--choose", action="append", default=[], metavar="任务:字段=选择",
                    help="改一项的选择，如 --choose 12:achievements=keep（take 采用、keep 保留现有、both 两者都保留）；"
                         "12=keep 表示该任务的所有字段")
    si.set_defaults(func="sheet_commands.cmd_sheet_import")
    t = psub.add_parser("fill-template", parents=[common],
                        help="用本单位的落实情况填写县里发来的表格（.xlsx），保留其格式")
    t.add_argument("template", help="县里发来的表格（.xlsx）")
    t.add_argument("--out", required=True, help="填好后保存为哪个 .xlsx 文件")
    t.add_argument("--map", action="append", default=[], metavar="列=字段",
                   help="改正某一列对应的内容，如 --map 备注=problems 或 --map 备注=（空：不填）；会记住")
    t.set_defaults(func="sheet_commands.cmd_fill_template")

"""Arguments of the ``county`` commands (kept apart from main.py; importing this module costs nothing)."""

from __future__ import annotations

import argparse


def add_county_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("county", parents=[common], help="汇总：导入各单位的报送材料，查看汇总表，生成汇总报告")
    csub = p.add_subparsers(dest="county_command", metavar="操作", required=True)
    c = csub.add_parser("import", parents=[common],
                        help="导入各单位的报送材料（.zip，可多个；每个全部成功或全部不写入）")
    c.add_argument("files", nargs="+", metavar="PKG.zip")
    c.set_defaults(func="county_commands.cmd_county_import")
    c = csub.add_parser("remove", parents=[common],
                        help="把已导入的报送材料移出汇总（如日期错误的一份）；该单位此前的一份重新生效")
    c.add_argument("--date", help="移出报告日期为此日（年-月-日）的一份；不写则移出该单位当前的一份")
    c.set_defaults(func="county_commands.cmd_county_remove")
    c = csub.add_parser("evidence", parents=[common],
                        help="列出某单位某项任务报送的佐证材料；--extract 从报送材料（导入时另存的副本）中取出（只读）")
    c.add_argument("--task", type=int, required=True, help="任务序号")
    c.add_argument("--extract", metavar="DIR", help="把这些佐证材料的文件取出到这个文件夹（已有的同名文件不覆盖）")
    c.add_argument("--package", metavar="PKG.zip|DIR",
                   help="数据文件夹中没有其副本时（早先导入的）：该单位的报送材料压缩包，或它所在的文件夹"
                        "（默认：当前文件夹）；按导入时的清单核对")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func="county_commands.cmd_county_evidence")
    c = csub.add_parser("status", parents=[common], help="已报送、未报送的单位和各状态的任务数")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func="county_commands.cmd_county_status")
    c = csub.add_parser("matrix", parents=[common], help="汇总表（.xlsx）：每项任务一行，每个单位一组列")
    c.add_argument("--out", required=True, help="保存为哪个 .xlsx 文件")
    c.add_argument("--lead", help="只列这个牵头单位牵头的任务")
    c.add_argument("--kind", choices=("town", "department"), help="只列镇（街道）或县直部门")
    c.add_argument("--section", type=int, help="只列方案的第几部分（1 起）")
    c.add_argument("--overdue", action="store_true", help="只列有单位逾期未完成的任务")
    c.set_defaults(func="county_commands.cmd_county_matrix")
    c = csub.add_parser("report", parents=[common], help="汇总报告（PDF）：全方案，或 --lead 单位牵头的任务")
    c.add_argument("--out", help="保存为哪个文件：.pdf（.docx 随新的报告引擎提供）")
    c.add_argument("--lead", help="以牵头单位身份，只汇总它牵头的任务")
    c.add_argument("--date", help="成文日期，年-月-日")
    c.add_argument("--fonts", choices=("auto", "bundled"), default="auto", help="auto：优先用本机的公文字体")
    c.add_argument("--section-chars", type=int, default=300,
                   help="“主要成效做法”每部分最多写多少字（默认 300，只列完整的条目）")
    c.set_defaults(func="county_commands.cmd_county_report")

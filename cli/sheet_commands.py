"""``progress sheet``, ``progress sheet import`` and ``progress fill-template``: wording only."""

from __future__ import annotations

import argparse

from actions import sheets
from cli.context import Context, UserError, say

SHOW_CHARS = 200


def cmd_sheet(ctx: Context, args: argparse.Namespace) -> int:
    if not args.out:
        raise UserError("请用 --out 指定保存的 .xlsx 文件，例如 --out 股室填报.xlsx"
                        "（导入填好的表用 progress sheet import）")
    result = sheets.make_sheet(ctx.session, args.office, args.out, args.section)
    parts = "、".join(f"{name} {n} 项" for name, n in result.sheets)
    say(f"已生成 {result.path}：{parts}")
    return 0


def _short(text: str) -> str:
    one = text.replace("\n", "⏎")
    return one if len(one) <= SHOW_CHARS else one[:SHOW_CHARS] + f"…（共 {len(text):,} 字）"


def print_review(review) -> None:
    for c in review.changes:
        mark = f"  【冲突：{c.conflict}】" if c.conflict else ""
        print(f"任务 {c.task}　{c.label}　来自 {c.author}（{c.place}）{mark}")
        print(f"    现有：{_short(c.shown(c.current)) or '（空）'}")
        print(f"    股室：{_short(c.shown(c.incoming))}")
        print(f"    选择：{c.choice.label}")
    for line in review.extra_rows:
        print(f"未对应到任务的行（没有导入）：{line}")
    for line in review.problems:
        print(f"注意：{line}")
    for line in review.added_columns:
        print(f"表中增加的列（没有读取）：{line}")


def _apply_choices(review, items: list[str]) -> None:
    """``--choose 12:achievements=keep`` or ``12=keep``: the clerk's own choice for those fields."""
    from core.model import FIELD_LABELS
    from core.sheets.review import Choice

    words = {"take": Choice.TAKE, "keep": Choice.KEEP, "both": Choice.BOTH,
             **{c.label: c for c in Choice}, "采用": Choice.TAKE, "保留": Choice.KEEP}
    for item in items:
        target, _, word = item.partition("=")
        task_text, _, field = target.partition(":")
        if not task_text.strip().isdigit() or word.strip() not in words:
            raise UserError(f"--choose 应写成 任务:字段=take/keep/both，例如 12:achievements=keep：{item}")
        task, choice, field = int(task_text), words[word.strip()], field.strip()
        by_label = {v: k for k, v in FIELD_LABELS.items()}
        field = by_label.get(field, field)
        hits = [c for c in review.changes if c.task == task and (not field or c.field == field)]
        if not hits:
            raise UserError(f"没有任务 {task}{'的' + field if field else ''}的填报：{item}")
        for c in hits:
            if choice is Choice.BOTH and not c.is_text:
                raise UserError(f"任务 {task} 的{c.label}不能“两者都保留”（只有文字字段可以）")
            c.choice = choice


def cmd_sheet_import(ctx: Context, args: argparse.Namespace) -> int:
    answer = sheets.review_files(ctx.session, args.office, args.files)
    review = answer.review
    _apply_choices(review, args.choose)
    print_review(review)
    tasks = len({c.task for c in review.changes})
    say(f"共 {len(review.changes)} 处填报（{tasks} 项任务），其中冲突 {len(review.conflicts)} 处；"
        f"按隐藏编号对应 {review.matched_by_id} 行，按序号和内容对应 {review.matched_by_text} 行，"
        f"未对应 {len(review.extra_rows)} 行")
    if args.dry_run or not review.changes:
        return 0
    if not args.yes:
        say("没有写入。确认以上选择后，加 --yes 再运行一次即可写入。")
        return 0
    saved = sheets.apply_answers(ctx.session, answer)
    say(f"已写入 {saved} 项任务的记录（历史版本中记为相应股室填报）")
    return 0


def cmd_fill_template(ctx: Context, args: argparse.Namespace) -> int:
    from actions import templates

    overrides = {}
    for item in args.map:
        if "=" not in item:
            raise UserError(f"--map 应写成 列=字段，例如 备注=problems：{item}")
        column, _, name = item.partition("=")
        overrides[column.strip()] = name.strip()
    result = templates.fill_template(ctx.session, args.office, args.template, args.out, overrides)
    for column, field in result.mapping:
        print(f"{column} → {field}")
    if result.unknown:
        say(f"没有对应内容、留空的列：{'、'.join(result.unknown)}")
    say(f"已填写 {result.filled} 项任务，保存为 {result.path}"
        + (f"；表中 {len(result.unmatched)} 行没有对应到任务：{'、'.join(result.unmatched[:10])}"
           if result.unmatched else ""))
    return 0

"""Starting the GUI (placeholder until the main window lands: prints the offices)."""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    from cli.commands import cmd_offices
    from cli.context import Context

    ctx = Context.open(args.data_dir)
    try:
        args.json = False
        return cmd_offices(ctx, args)
    finally:
        ctx.store.close()

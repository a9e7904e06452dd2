"""The frozen builds carry every module the code loads by a string (issue 26).

PyInstaller follows ``import`` statements only. main.py imports each command's ``cli.*`` module by name, core.report
loads its PDF side through a lazy table, actions.about finds core.licenses with importlib: each of those must be
bundled by build.spec's rule, or every command of the built app fails. The rule is run here as the build runs it.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
OWN = re.compile(r"^(actions|cli|core|db|gui)(\.[A-Za-z_]\w*)+$")


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def bundled_modules() -> set[str]:
    """What build.spec hands PyInstaller as hidden imports: its APP_PACKAGES and app_modules(), run as written."""
    tree = spec_tree()
    wanted = [n for n in tree.body if (isinstance(n, ast.FunctionDef) and n.name == "app_modules")
              or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "APP_PACKAGES" for t in n.targets))]
    assert len(wanted) == 2, "build.spec should define APP_PACKAGES and app_modules(root)"
    namespace: dict = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return set(namespace["app_modules"](ROOT))


def app_files() -> list[Path]:
    files = [ROOT / "main.py"]
    for package in ("actions", "cli", "core", "db", "gui"):
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def loaded_by_name() -> dict[str, str]:
    """Every module of ours that the code names in a string (module → where), and each command's handler
    module, which main.py imports as ``cli.<module>`` from ``set_defaults(func="<module>.<function>")``."""
    found: dict[str, str] = {}
    for path in app_files():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and OWN.match(node.value):
                module = node.value
                while module and not _is_module(module):  # "core.report.pdf.build_report" names a function
                    module = module.rpartition(".")[0]
                if module:
                    found.setdefault(module, f"{where}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "set_defaults":
                for kw in node.keywords:
                    if kw.arg == "func" and isinstance(kw.value, ast.Constant):
                        module = "cli." + kw.value.value.rsplit(".", 1)[0]
                        found.setdefault(module, f"{where}:{node.lineno}")
    return found


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_module_loaded_by_name_is_bundled():
    named = loaded_by_name()
    # The three kinds the issue names are among them: a command module, a lazy name, the licence list.
    assert {"cli.commands", "cli.report_commands", "cli.county_commands", "core.report.pdf", "core.report.fonts",
            "core.licenses"} <= set(named)
    missed = {m: where for m, where in named.items() if m not in bundled_modules()}
    assert not missed, f"loaded by a string but not bundled by build.spec: {missed}"


def test_every_command_handler_exists():
    """Each ``func="module.function"`` of main.py's parser names a real module and function."""
    tree = ast.parse((ROOT / "main.py").read_text(encoding="utf-8"))
    tree.body += ast.parse((ROOT / "cli" / "county_parser.py").read_text(encoding="utf-8")).body
    handlers = sorted({kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
                       and getattr(node.func, "attr", None) == "set_defaults"
                       for kw in node.keywords if kw.arg == "func"})
    assert len(handlers) >= 20
    for handler in handlers:
        module, function = handler.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(f"cli.{module}"), function, None)), handler


def test_the_spec_hands_its_rule_to_analysis():
    """app_modules() is what Analysis gets as hidden imports (a rule left unused bundles nothing)."""
    calls = [n for n in ast.walk(spec_tree()) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Analysis"]
    assert len(calls) == 1
    hidden = next(kw.value for kw in calls[0].keywords if kw.arg == "hiddenimports")
    assert any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "app_modules" for n in ast.walk(hidden))
    modules = bundled_modules()
    assert {"cli.commands", "cli.smoke_dialogs", "core.report.pdf", "core.licenses", "gui.app"} <= modules
    assert len(modules) == len(list(p for p in app_files() if p.name != "main.py"))

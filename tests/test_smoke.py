"""``main.py --smoke-test`` (what ``make dist-check`` runs against the frozen build) passes from source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_smoke_test_passes(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAIZHANG_DATA_DIR": str(tmp_path / "unused")}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke-test"], capture_output=True, text=True,
                            encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "main window offscreen (68 rows" in result.stderr
    assert ("7 dialogs opened and closed (导入新方案、备份管理、生成落实情况报告、生成报送材料、添加网页链接、"
            "汇总：各单位报送材料、关于落实台账)") in result.stderr
    assert "smoke test passed" in result.stderr
    assert not (tmp_path / "unused").exists()  # it never touches the clerk's data folder

"""package on the command line: a --out that is neither a folder nor a .zip is bad input (exit 2), not a crash."""

from __future__ import annotations

from tests.test_county_cli import run_main


def test_out_missing_folder_is_bad_input(data_dir, capsys, tmp_path):
    code, _, err = run_main(capsys, "package", "--office", "悦城镇", "--out", str(tmp_path / "没有的文件夹"),
                              "--allow-empty")
    assert code == 2, err
    assert "文件夹不存在" in err and "没有的文件夹" in err and "以 .zip 结尾" in err
    assert "内部错误" not in err
    assert not list(tmp_path.rglob("*.zip"))


def test_out_folder_makes_the_zip(data_dir, capsys, tmp_path):
    usb = tmp_path / "U盘"
    usb.mkdir()
    code, _, err = run_main(capsys, "package", "--office", "悦城镇", "--out", str(usb), "--allow-empty",
                            "--date", "2019-12-04")
    assert code == 0, err
    assert [p.name for p in usb.iterdir()] == ["悦城镇_政务公开落实情况_2019-12-04.zip"]

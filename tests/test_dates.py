"""One parser for typed dates (core.dates): every front end accepts and refuses the same texts."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.session import Session
from cli.context import UserError
from cli.report_commands import parse_report_date
from core.dates import HUMAN_FORMS, parse_date
from core.evidence_rules import EvidenceError, check_seen_date

OFFICE = "悦城镇"
JAN_4 = date(2019, 1, 4)
ACCEPTED = [*HUMAN_FORMS, " 2019-1-4 ", "2019年01月04日", "2019年1月4", "2019 年 1 月 4 日", "２０１９－１－４",
            "２０１９／１／４", "2019. 1. 4"]
REFUSED = ["2019-1/4", "19-1-4", "20190104", "2019-1-4-5", "2019-2-30", "2019年1月", "一九年一月四日", "2019-13-1",
           "٢٠١٩-١-٤", "", "   ", "2019-1-4x", "2019-W01-5"]


def set_due(data_dir, text: str) -> int:
    from main import main

    return main(["--data-dir", str(data_dir), "progress", "set", "--office", OFFICE, "--task", "12",
                 "--field", "due", "--value", text])


@pytest.mark.parametrize("text", ACCEPTED)
def test_every_front_end_reads_the_same_day(text, data_dir):
    assert parse_date(text) == JAN_4
    assert parse_report_date(text, date(2000, 1, 1)) == JAN_4  # report --date, package --date, county --date
    assert check_seen_date(text, today=date(2020, 1, 1)) == "2019-01-04"  # evidence --date
    assert set_due(data_dir, text) == 0  # progress set --field due
    session = Session.open(data_dir, auto_backup=False)
    try:
        assert session.store.progress(session.current_plan_id(), OFFICE)[12].due == JAN_4
    finally:
        session.close()


@pytest.mark.parametrize("text", [t for t in REFUSED if t.strip()])
def test_every_front_end_refuses_the_same_texts(text, data_dir, capsys):
    with pytest.raises(ValueError):
        parse_date(text)
    with pytest.raises(UserError):
        parse_report_date(text, date(2000, 1, 1))
    assert set_due(data_dir, text) == 2
    assert "完成时限应写成 年-月-日" in capsys.readouterr().err
    with pytest.raises(EvidenceError):
        check_seen_date(text, today=date(2020, 1, 1))


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["-", "/", ".", "年"]), st.booleans())
def test_any_day_written_any_accepted_way_reads_back(day, sep, padded):
    m, d = (f"{day.month:02d}", f"{day.day:02d}") if padded else (str(day.month), str(day.day))
    text = f"{day.year}年{m}月{d}日" if sep == "年" else f"{day.year}{sep}{m}{sep}{d}"
    assert parse_date(text) == day


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_value_error(text):
    try:
        day = parse_date(text)
    except ValueError:
        return
    assert isinstance(day, date)

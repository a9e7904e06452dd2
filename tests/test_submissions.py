"""Saving is not submitting: a package or a report marked 已报送 is one submission with its files; a saved
PDF, Word or Excel file is a save. The report dialog says where a save went."""

from __future__ import annotations

from datetime import date

from actions import reports
from actions.package import make_package
from core.model import Progress, Status

OFFICE = "悦城镇"


def test_a_save_is_not_a_submission_a_package_is(qtbot, session, tmp_path):
    from gui.report.history import ReportHistory

    plan_id = session.current_plan_id()
    session.store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements="办理留言12件。"))
    office = session.office(OFFICE)
    request = reports.ReportRequest(office, date(2019, 12, 4), fonts="bundled")
    built = reports.build(session, request)
    saved = reports.save(session, built, tmp_path / "报告.pdf")
    assert reports.submissions(session, office) == []  # saved, not submitted
    assert reports.archived(session, office)[0].options["saved_to"] == str(tmp_path / "报告.pdf")

    package = make_package(session, OFFICE, tmp_path, report_date=date(2019, 12, 4), fonts="bundled",
                           today=date(2019, 11, 20))
    found = reports.submissions(session, office)
    assert [r.id for r in found] == [package.archive_id]  # one event for the zip and everything in it
    files = reports.submission_files(found[0])
    assert files == tuple(f.path for f in package.info.files if not f.kind.startswith("evidence"))
    assert "悦城镇_落实情况报告.pdf" in files and "manifest.json" not in files

    reports.mark_submitted(session, saved.archive_id)  # the clerk handed this PDF in
    assert [r.id for r in reports.submissions(session, office)] == [package.archive_id, saved.archive_id]
    again = reports.save(session, built, tmp_path / "again.pdf", submitted=True)  # same content: no new row
    assert again.archive_id == saved.archive_id and len(reports.archived(session, office)) == 2

    reports.mark_submitted(session, saved.archive_id, False)
    history = ReportHistory()
    qtbot.addWidget(history)
    history.set_reports(reports.archived(session, office))
    texts = [history.list.item(i).text() for i in range(history.list.count())]
    assert history.submission_count() == 1
    assert any(t.startswith("　【已报送】") and "报送材料（悦城镇_落实情况报告.pdf" in t for t in texts)
    assert any(t.startswith("　【仅保存】") and "PDF" in t for t in texts)
    history.select(saved.archive_id)
    marked = []
    history.markRequested.connect(lambda rid, on: marked.append((rid, on)))
    assert history.mark_button.text() == "标记为已报送"
    history.mark_button.click()
    assert marked == [(saved.archive_id, True)]


def test_the_saved_note_names_the_file_and_opens_its_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from gui.saved_note import show_saved

    label = QLabel()
    qtbot.addWidget(label)
    opened = []
    monkeypatch.setattr("gui.evidence_panel.open_url", lambda url: opened.append(url.toLocalFile()) or False)
    show_saved(label, tmp_path / "报告.pdf")
    assert label.text().startswith(f"已保存到 {tmp_path / '报告.pdf'}（") and "打开文件夹" in label.text()
    label.linkActivated.emit(f"file://{tmp_path}")
    assert opened == [str(tmp_path)]
    assert "没有可打开文件夹的程序" in label.text()  # no file manager: it says so, and where


def test_one_version_string():
    import tomllib
    from pathlib import Path

    from actions.about import app_version
    from actions.package import APP_VERSION
    from core.licenses import COMPONENTS
    from core.version import VERSION

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == VERSION == app_version() == APP_VERSION
    assert next(c for c in COMPONENTS if c.name == "落实台账").version == VERSION


def test_marking_a_report_submitted_goes_through_the_check(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QWidget

    from gui import submission_check

    office = session.office(OFFICE)
    built = reports.build(session, reports.ReportRequest(office, date(2019, 12, 4), fonts="bundled"))
    saved = reports.save(session, built, tmp_path / "报告.pdf", allow_empty=True)
    parent = QWidget()
    qtbot.addWidget(parent)
    shown = []

    def answer(code):
        def exec_(dialog):
            shown.append(dialog.check.summary())
            return code
        return exec_

    monkeypatch.setattr(submission_check.SubmissionCheckDialog, "exec", answer(QDialog.DialogCode.Rejected))
    assert not submission_check.mark_report_submitted(parent, session, office, session.current_plan_id(),
                                                      saved.archive_id, True)
    assert reports.submissions(session, office) == [] and shown[0].startswith("未填写 66 项")
    monkeypatch.setattr(submission_check.SubmissionCheckDialog, "exec", answer(QDialog.DialogCode.Accepted))
    assert submission_check.mark_report_submitted(parent, session, office, session.current_plan_id(),
                                                  saved.archive_id, True)
    assert [r.id for r in reports.submissions(session, office)] == [saved.archive_id]

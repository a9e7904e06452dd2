"""What the main window builds right after the task table's first paint (issue 22), kept out of its start.

The menus, the detail pane (with its evidence panel and keys), the table's keys and search highlighting,
the search box's clear button and the first-start notice: none of them is in the first paint, each of their
modules costs start-up time, and the table is on screen a few milliseconds sooner without them. Functions of
the :class:`gui.main_window.MainWindow` they build on; it calls them from ``finish_building`` and ``detail``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gui import window_state

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def finish(window: MainWindow) -> None:
    """Keys, highlighting, menus, the detail pane and the first-start notice, in that order."""
    from gui.data_menu import DataMenu
    from gui.help_menu import HelpMenu
    from gui.keyboard import TableKeys
    from gui.main_menus import MainMenus

    window.table_keys = TableKeys(window)  # Tab from task to task, Enter/F6 into the pane (gui.keyboard)
    window.filters.finish()
    window.delegate.query = window.filters.query()
    window.menus = MainMenus(window)  # 文件, 编辑, 设置 (gui.main_menus)
    window.sheet_actions = window.menus.sheet_actions
    window_state.clamp_to_screen(window)  # again now that the frame (title bar) has its real size
    window._data_menu = DataMenu(window, window.session, window.office, window.autosaver.flush)
    window._data_menu.planChosen.connect(window.switch_plan)
    window.help_menu = HelpMenu(window, window.session)
    window.detail  # noqa: B018 - builds the pane now
    show_first_start_notice(window)


def build_detail(window: MainWindow) -> None:
    """The detail pane in the splitter's third place, wired to the autosaver; shows the pending task."""
    from gui.detail_pane import DetailPane
    from gui.evidence_panel import EvidencePanel
    from gui.keyboard import install_pane_keys

    sizes = window.splitter.sizes()
    pane = DetailPane(window)
    window._detail = pane
    window.splitter.replaceWidget(2, pane)
    window.splitter.setStretchFactor(2, 3)  # the stretch lives on the widget: the new pane needs it again
    window.detail_slot.deleteLater()
    window.splitter.setSizes(sizes)
    pane.edited.connect(window.autosaver.edited)
    pane.field_left.connect(window.autosaver.flush)
    pane.override_requested.connect(window._set_override)
    pane.slow_toggled.connect(window._set_slow)
    pane.history_requested.connect(window.show_history)
    pane.set_query(window.filters.query())
    install_pane_keys(window)
    pane.add_evidence(EvidencePanel(window.session, pane))
    number, window._pending_task = window._pending_task, None
    if number is not None:
        window._show_task(number)
    elif not window.proxy.rowCount():
        pane.show_nothing(window.tr("没有符合条件的任务"))


def show_first_start_notice(window: MainWindow) -> None:
    from actions.about import dismiss_first_start, first_start_notice
    from gui.first_start import FirstStartNotice

    text = first_start_notice(window.session)
    if text is None:
        return
    window.first_start = FirstStartNotice(window.tr(text), window)
    window.first_start.importRequested.connect(window.data_menu.import_plan)
    window.first_start.dismissed.connect(lambda: dismiss_first_start(window.session))
    window.body_layout.insertWidget(0, window.first_start)
    window.first_start.show()

"""What every command needs: the open data folder (an ``actions.Session``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from actions.errors import ActionError
from actions.session import Session
from core.paths import resolve_data_dir
from core.text_safety import needs_escape

#: Bad input from the user: printed as is, exit code 2 (the application layer's error, also raised here).
UserError = ActionError


@dataclass
class Context:
    session: Session

    @classmethod
    def open(cls, data_dir_arg: str | None) -> Context:
        return cls(Session.open(resolve_data_dir(data_dir_arg)))


def _escaped(text: str, keep: str = "") -> str:
    # Unlike escape_for_terminal a backslash stays single: Windows paths in messages read as typed.
    return "".join(ch if ch in keep or not needs_escape(ch) else
                   (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}") for ch in text)


def shown(text: object) -> str:
    """``text`` safe for a terminal: ESC, BEL, bidi overrides and other controls or format characters that
    came with a file name, a title or a package are shown as ``\\u001b``; line breaks stay line breaks."""
    return _escaped(str(text), keep="\n")


def field(text: object) -> str:
    """One column of a tab-separated line: a tab or line break inside it is shown escaped too."""
    return _escaped(str(text))


def say(text: str) -> None:
    """A message for the clerk on stderr (stdout carries only data, e.g. JSON), made safe by :func:`shown`."""
    print(shown(text), file=sys.stderr)

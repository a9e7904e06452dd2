"""What every command needs: the open data folder (an ``actions.Session``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from actions.errors import ActionError
from actions.session import Session
from core.paths import resolve_data_dir

#: Bad input from the user: printed as is, exit code 2 (the application layer's error, also raised here).
UserError = ActionError


@dataclass
class Context:
    session: Session

    @classmethod
    def open(cls, data_dir_arg: str | None) -> Context:
        return cls(Session.open(resolve_data_dir(data_dir_arg)))


def say(text: str) -> None:
    """A message for the clerk on stderr (stdout carries only data, e.g. JSON)."""
    print(text, file=sys.stderr)

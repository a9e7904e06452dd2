"""The two kinds of failure an action reports to either front end."""

from __future__ import annotations

from db.errors import StorageError

__all__ = ["EXIT_BAD_INPUT", "EXIT_ENVIRONMENT", "ActionError", "StorageError", "exit_code"]

EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 1


class ActionError(Exception):
    """Bad input the clerk can fix; ``str(error)`` is the plain Chinese message. Nothing was changed."""

    @property
    def message(self) -> str:
        return str(self)


def exit_code(exc: BaseException) -> int:
    """The CLI's exit code for an action's failure: 2 for bad input, 1 for the environment or a bug."""
    return EXIT_BAD_INPUT if isinstance(exc, ActionError) else EXIT_ENVIRONMENT

"""Regular expressions compiled when first used, not when their module is imported.

The plan readers' patterns (core.units, core.due) are ~8 ms to compile, and every window start imports
those modules for the roles, which need none of them (issue 22). A :class:`LazyPattern` stands where a
compiled pattern stood and answers the same methods.
"""

from __future__ import annotations

import re
from typing import Any

#: The methods a LazyPattern takes over from its compiled pattern on first use (no look-up detour after).
_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use; ``pattern`` is there before."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self._flags)  # re keeps its own cache: compiled once

    def __getattr__(self, name: str) -> Any:  # only for names not set yet: the first use
        compiled = self.compiled()
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"

"""File sizes in messages: "201.3 MB", and a size shown beside its limit so the two never read the same."""

from __future__ import annotations


def size_text(size: int) -> str:
    """1.0 MB, 200.0 MB, 2.00 GB (binary units, as file managers on Windows show them)."""
    return f"{size / 1024 / 1024:.1f} MB" if size < 1024 ** 3 else f"{size / 1024 ** 3:.2f} GB"


def over_limit(size: int, limit: int) -> tuple[str, str]:
    """(size, limit) as text for "X 超过 Y": in bytes when rounding would print the same figure twice."""
    shown, cap = size_text(size), size_text(limit)
    if shown == cap:
        return f"{size:,} 字节", f"{limit:,} 字节（{cap}）"
    return shown, cap

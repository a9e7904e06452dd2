"""Where the window reads an evidence image from for its thumbnail: the stored file itself.

``actions.evidence.view_copy`` makes a full named copy for the system viewer; a thumbnail only reads the
content (image readers look at the bytes, not the suffix), so a 150 MB photo is never copied to draw 48 px.
"""

from __future__ import annotations

from pathlib import Path

from actions.session import Session
from db.evidence import EvidenceItem
from db.evidence_files import blob_path, evidence_dir

__all__ = ["stored_file"]


def stored_file(session: Session, item: EvidenceItem) -> Path | None:
    """The stored content of ``item`` (read-only use), or None for a link without screenshot or a missing file."""
    if item.sha256 is None:
        return None
    path = blob_path(evidence_dir(session.data_dir), item.sha256)
    return path if path.is_file() else None

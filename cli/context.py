"""What every command needs: the data folder, the open store, the office acted as."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.model import Office
from core.paths import resolve_data_dir
from db.store import Store


class UserError(Exception):
    """Bad input from the user: printed as is, exit code 2."""


@dataclass
class Context:
    data_dir: Path
    store: Store

    @classmethod
    def open(cls, data_dir_arg: str | None) -> Context:
        data_dir = resolve_data_dir(data_dir_arg)
        return cls(data_dir, Store.open(data_dir))

    def office(self, name: str | None) -> Office:
        name = name or self.store.setting("office")
        if not name:
            raise UserError("请用 --office 指定单位，例如 --office 悦城镇（可用 offices 命令查看单位列表）")
        office = self.store.office(name)
        if office is None:
            raise UserError(f"未知单位：{name}（可用 offices 命令查看单位列表）")
        return office

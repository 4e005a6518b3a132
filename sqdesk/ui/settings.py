"""Every persistent UI setting, declared once with its type and default, over QSettings.

``Settings`` is a thin typed façade: ``settings.language`` reads the value (or the
default), ``settings.language = "en"`` writes it. Window geometry, splitter and header
states are opaque ``QByteArray`` blobs stored under free-form keys with :meth:`state` /
:meth:`set_state` (e.g. ``settings.set_state("roster/header", header.saveState())``).

Tests point QSettings at a temporary directory with ``QSettings.setPath`` and
``QSettings.setDefaultFormat(QSettings.IniFormat)`` before constructing ``Settings``.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANIZATION = "sqdesk"
APPLICATION = "sqdesk"
MAX_RECENT = 8


class Setting(Generic[T]):
    """A descriptor for one typed key of :class:`Settings`."""

    def __init__(self, key: str, kind: type[T], default: T) -> None:
        self.key = key
        self.kind = kind
        self.default = default

    @overload
    def __get__(self, obj: None, owner: type[Settings]) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type[Settings]) -> T: ...
    def __get__(self, obj: Settings | None, owner: type[Settings]) -> Setting[T] | T:
        if obj is None:
            return self
        return obj._read(self)

    def __set__(self, obj: Settings, value: T) -> None:
        obj._write(self, value)


class Settings:
    """The app's settings. Construct after QCoreApplication's names are set (see app.py)."""

    language = Setting("ui/language", str, "zh")
    last_workspace = Setting("workspace/last", str, "")
    recent_workspaces = Setting("workspace/recent", list, [])
    last_view = Setting("ui/last_view", str, "dashboard")
    demo_offered = Setting("workspace/demo_offered", bool, False)

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)

    # typed access ---------------------------------------------------------------
    def _read(self, setting: Setting[T]) -> T:
        if not self.q.contains(setting.key):
            return _copy(setting.default)
        raw = self.q.value(setting.key)
        return _coerce(raw, setting.kind, setting.default)

    def _write(self, setting: Setting[T], value: T) -> None:
        if not isinstance(value, setting.kind):
            raise TypeError(f"setting {setting.key} expects {setting.kind.__name__}, got {type(value).__name__}")
        self.q.setValue(setting.key, value)

    def reset(self, name: str) -> None:
        setting = getattr(type(self), name)
        assert isinstance(setting, Setting)
        self.q.remove(setting.key)

    # opaque widget states ------------------------------------------------------
    def state(self, key: str) -> QByteArray | None:
        raw = self.q.value(f"state/{key}")
        if isinstance(raw, QByteArray) and not raw.isEmpty():
            return raw
        if isinstance(raw, bytes) and raw:
            return QByteArray(raw)
        return None

    def set_state(self, key: str, value: QByteArray) -> None:
        self.q.setValue(f"state/{key}", value)

    # recent workspaces -------------------------------------------------------------
    def remember_workspace(self, location: str) -> None:
        """Make ``location`` (a file path or a database URL) the last and most recent one."""
        recent = [r for r in self.recent_workspaces if r != location]
        self.recent_workspaces = [location, *recent][:MAX_RECENT]
        self.last_workspace = location

    def forget_workspace(self, location: str) -> None:
        self.recent_workspaces = [r for r in self.recent_workspaces if r != location]
        if self.last_workspace == location:
            self.reset("last_workspace")

    def sync(self) -> None:
        self.q.sync()


def _copy(value: T) -> T:
    return list(value) if isinstance(value, list) else value  # type: ignore[return-value]


def _coerce(raw: Any, kind: type[T], default: T) -> T:
    """QSettings' INI backend hands back strings (and a 1-item list as a str)."""
    if raw is None:
        return _copy(default)
    if kind is bool:
        if isinstance(raw, bool):
            return raw  # type: ignore[return-value]
        return str(raw).strip().lower() in {"true", "1", "yes", "on"}  # type: ignore[return-value]
    if kind is int:
        try:
            return int(raw)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return default
    if kind is list:
        if isinstance(raw, (list, tuple)):
            return [str(x) for x in raw]  # type: ignore[return-value]
        return [str(raw)] if str(raw) else []  # type: ignore[return-value]
    if kind is str:
        return str(raw)  # type: ignore[return-value]
    return raw if isinstance(raw, kind) else default

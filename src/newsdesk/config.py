"""Settings: declared once, in ``SETTINGS``; values come from a TOML file, the environment or options.

Precedence, highest first: an explicit value (a CLI option or a keyword to ``open_desk``), the
environment variable ``NEWSDESK_<NAME>``, the ``[newsdesk]`` table of the TOML file
(``./newsdesk.toml`` or ``$NEWSDESK_CONFIG``), the default. A test checks every setting is documented in
docs/settings.md, which is generated from this table.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exceptions import ConfigError


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "newsdesk")


def _to_bool(value: str) -> bool:
    v = value.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true/false, got {value!r}")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "NEWSDESK_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        None,
        "Folder for the database, archives and caches. Default: $XDG_DATA_HOME/newsdesk "
        "(usually ~/.local/share/newsdesk).",
    ),
    Setting(
        "db",
        None,
        "The database: a SQLite file path. Default: newsdesk.sqlite inside data_dir.",
    ),
    Setting(
        "min_words",
        60,
        "Shortest main text, in words, that counts as an article; shorter pages are rejected "
        "as too short (index pages, teasers, error pages).",
        int,
    ),
    Setting(
        "max_input_bytes",
        50_000_000,
        "Largest single input file (after decompression) that ingest reads; larger ones are "
        "reported as broken instead of exhausting memory.",
        int,
    ),
    Setting(
        "progress",
        True,
        "Show progress bars on long runs (turned off automatically when output is not a terminal).",
        _to_bool,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Config:
    """Resolved settings. Build with ``load_config``; read as attributes."""

    data_dir: str
    db: str
    min_words: int
    max_input_bytes: int
    progress: bool


def _read_toml(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    table: dict[str, Any] = data.get("newsdesk", data)
    unknown = sorted(set(table) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(_BY_NAME)}")
    return table


def load_config(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: str | os.PathLike[str] | None = None,
) -> Config:
    """Resolve every setting; raises ConfigError naming the setting and its origin on bad values."""
    env = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(overrides) - set(_BY_NAME))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    file_path = config_file or env.get("NEWSDESK_CONFIG")
    file_values: Mapping[str, Any] = {}
    if file_path:
        file_values = _read_toml(Path(file_path))
    elif Path("newsdesk.toml").is_file():
        file_values = _read_toml(Path("newsdesk.toml"))

    values: dict[str, Any] = {}
    for s in SETTINGS:
        if s.name in overrides:
            raw, origin = overrides[s.name], "option"
        elif s.env in env:
            raw, origin = env[s.env], s.env
        elif s.name in file_values:
            raw, origin = file_values[s.name], "newsdesk.toml"
        else:
            values[s.name] = s.default
            continue
        try:
            values[s.name] = s.parse(raw) if isinstance(raw, str) else raw
        except ValueError as e:
            raise ConfigError(f"setting {s.name} (from {origin}): {e}") from e
    if values["data_dir"] is None:
        values["data_dir"] = _default_data_dir()
    if values["db"] is None:
        values["db"] = str(Path(values["data_dir"]) / "newsdesk.sqlite")
    if values["min_words"] < 1:
        raise ConfigError("setting min_words must be at least 1")
    return Config(**values)


def settings_markdown() -> str:
    """The settings reference, generated so docs cannot drift from code."""
    lines = [
        "# Settings",
        "",
        "Generated from `newsdesk.config.SETTINGS` by `newsdesk settings --markdown`; "
        "a test keeps it in step.",
        "",
        "Each setting can be given in `newsdesk.toml` (a `[newsdesk]` table), as an environment "
        "variable, or as a CLI option where one exists.",
        "",
        "| name | environment | default | meaning |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `{s.env}` | `{s.default!r}` | {s.help} |")
    return "\n".join(lines) + "\n"

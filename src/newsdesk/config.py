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


#: The default of ``max_article_chars`` (extract() uses it too).
MAX_ARTICLE_CHARS = 1_000_000


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
        "The database: a SQLite file path, or a PostgreSQL URL (postgresql://user@host/dbname; needs "
        "newsdesk[postgres]). Default: newsdesk.sqlite inside data_dir.",
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
    # -- extraction's budget per document; see _budget.py and bench/budget.py for the figures
    Setting(
        "max_page_bytes",
        8_000_000,
        "Largest HTML page (or feed entry content) extraction accepts, in bytes; a larger one is "
        "rejected as too-large before it is parsed. Real news pages measured reach 1.5 MB.",
        int,
    ),
    Setting(
        "max_page_elements",
        50_000,
        "Most HTML elements (opening tags, counted before parsing) a page may have; more is "
        "rejected as too-large. Real news pages measured reach about 4,700; extraction time grows "
        "faster than the element count, and at 50,000 the worst shapes measured need about "
        "extract_timeout anyway.",
        int,
    ),
    Setting(
        "extract_timeout",
        10.0,
        "Seconds extraction may spend on one page in a worker process before the worker is "
        "killed and the page rejected as timed-out (the slowest real page measured takes 0.5 s).",
        float,
    ),
    Setting(
        "extract_workers",
        2,
        "Worker processes for pages above the inline limits (started when the first such page "
        "arrives): that many large pages are extracted at once.",
        int,
    ),
    Setting(
        "inline_page_bytes",
        2_000_000,
        "Pages of at most this many bytes and at most inline_page_elements elements are "
        "extracted in the ingesting process, with no worker's overhead: at that size even the "
        "slowest shapes measured take about a second. 0 sends every page to a worker.",
        int,
    ),
    Setting(
        "inline_page_elements",
        10_000,
        "See inline_page_bytes: the element limit for extracting in the ingesting process.",
        int,
    ),
    Setting(
        "max_article_chars",
        MAX_ARTICLE_CHARS,
        "Longest article stored (title and text), in characters; a longer one is rejected as "
        "too-large. About "
        "170,000 English words, several times the longest real news articles (tens of thousands "
        "of words): only a broken page, a concatenated dump or an attack is longer, and each stored "
        "character is indexed, searched and copy-checked.",
        int,
    ),
    Setting(
        "search_timeout",
        10.0,
        "Seconds one search may run before it is stopped with an error (the web answers 503); 0: "
        "no limit. Searches take milliseconds (bench/RESULTS.md), so only a runaway one (a "
        "pathological article or query) meets it, and it frees its core within 10 s instead of "
        "holding it for minutes after the reader has given up; 10 s is also under the 30-60 s a "
        "proxy in front of `newsdesk serve` usually waits.",
        float,
    ),
    Setting(
        "progress",
        True,
        "Show progress bars on long runs (turned off automatically when output is not a terminal).",
        _to_bool,
    ),
    # -- fetching (newsdesk add / update); see fetch.py and scheduler.py
    Setting(
        "user_agent_contact",
        "",
        "How a site's operator can reach you (an e-mail address or URL), sent in the User-Agent "
        "header of every request: 'newsdesk/VERSION (self-hosted news reader; +CONTACT)'.",
    ),
    Setting(
        "allow_private_addresses",
        False,
        "Allow fetching from loopback, private, link-local, multicast and reserved addresses. Off: "
        "newsdesk refuses them, checked on the resolved address of every connection and redirect.",
        _to_bool,
    ),
    Setting(
        "allowed_networks",
        "",
        "Comma-separated networks (CIDR, e.g. '10.1.0.0/16') allowed even though they are not "
        "public: an intranet news server, without opening every private address.",
    ),
    Setting(
        "host_overrides",
        "",
        "Comma-separated 'host=address' pairs used instead of DNS, like /etc/hosts ('*.example' "
        "matches subdomains); for mirrors and tests. The address guard still applies.",
    ),
    Setting("concurrency", 16, "Most requests in flight at once, over all hosts.", int),
    Setting("per_host_concurrency", 2, "Most requests in flight at once to one host.", int),
    Setting(
        "per_host_delay",
        1.0,
        "Least seconds between the starts of two requests to one host (a robots.txt Crawl-delay, "
        "up to 60 s, raises it for that host).",
        float,
    ),
    Setting("connect_timeout", 10.0, "Seconds to wait for a connection (name lookup included).", float),
    Setting("read_timeout", 30.0, "Seconds to wait for the next bytes of a response.", float),
    Setting(
        "total_timeout",
        60.0,
        "Seconds one fetch may take in all, redirects and the whole body included.",
        float,
    ),
    Setting("max_redirects", 5, "Most redirects followed for one fetch.", int),
    Setting(
        "max_body_bytes",
        20_000_000,
        "Largest response body accepted, after decompression; a larger one is an error.",
        int,
    ),
    Setting(
        "max_decompression_ratio",
        100,
        "Largest ratio of decompressed to transferred bytes (checked past the first MiB): a "
        "compressed body that expands more is refused as a decompression bomb.",
        int,
    ),
    Setting(
        "max_retries",
        2,
        "Retries of a fetch that got 429, 5xx or a broken connection, with exponential backoff "
        "and jitter (Retry-After honoured).",
        int,
    ),
    Setting("retry_base_delay", 1.0, "Seconds before the first retry; doubled for each next one.", float),
    Setting(
        "max_retry_wait",
        60.0,
        "Longest wait for one retry: a Retry-After beyond it is not waited for now but decides "
        "when the source is next fetched.",
        float,
    ),
    Setting(
        "min_update_interval",
        300,
        "Least seconds between two fetches of one source, whatever its TTL or publishing rate.",
        int,
    ),
    Setting(
        "max_update_interval",
        86_400,
        "Most seconds between two fetches of one source (also the cap of the error backoff).",
        int,
    ),
    Setting(
        "default_update_interval",
        3600,
        "Seconds between fetches of a source that gives no TTL or Cache-Control and whose "
        "publishing rate is not known yet.",
        int,
    ),
    Setting(
        "pause_after_errors",
        8,
        "Pause a source after this many failed updates in a row (the reason is shown by "
        "`newsdesk sources`; `newsdesk resume` starts it again). A 410 Gone pauses at once.",
        int,
    ),
    Setting(
        "max_pages_per_update",
        100,
        "Most article pages fetched for one source in one update (summary-only feed entries, "
        "sitemap URLs); the rest wait for the next update.",
        int,
    ),
    Setting(
        "source_lease",
        300,
        "Seconds a collector leases a source it is updating; renewed while it works. Several "
        "`newsdesk update` processes on one store never update a source at once, and a source of a "
        "collector that died is taken by another once its lease has run out.",
        int,
    ),
    Setting(
        "archive",
        True,
        "Keep every fetched page and feed as WARC under data_dir/warc, so `newsdesk reextract` "
        "can run extraction again without refetching.",
        _to_bool,
    ),
    # -- the web site and JSON API (newsdesk serve); see web/
    Setting("web_host", "127.0.0.1", "Address `newsdesk serve` listens on.", str),
    Setting("web_port", 8000, "Port `newsdesk serve` listens on.", int),
    Setting(
        "web_workers",
        1,
        "Worker processes of `newsdesk serve` (each opens its own read connections to the store).",
        int,
    ),
    Setting(
        "web_token",
        "",
        "Bearer token that API writes (adding, removing, pausing sources) must carry. Empty: "
        'every write is refused. Use a long random string, e.g. `python -c "import secrets; '
        'print(secrets.token_urlsafe(32))"`.',
        str,
    ),
    Setting(
        "web_max_request_bytes",
        65_536,
        "Largest request body the web server accepts; larger ones get 413.",
        int,
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
    max_article_chars: int
    search_timeout: float
    max_page_bytes: int
    max_page_elements: int
    extract_timeout: float
    extract_workers: int
    inline_page_bytes: int
    inline_page_elements: int
    progress: bool
    user_agent_contact: str
    allow_private_addresses: bool
    allowed_networks: str
    host_overrides: str
    concurrency: int
    per_host_concurrency: int
    per_host_delay: float
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_redirects: int
    max_body_bytes: int
    max_decompression_ratio: int
    max_retries: int
    retry_base_delay: float
    max_retry_wait: float
    min_update_interval: int
    max_update_interval: int
    default_update_interval: int
    pause_after_errors: int
    max_pages_per_update: int
    source_lease: int
    archive: bool
    web_host: str
    web_port: int
    web_workers: int
    web_token: str
    web_max_request_bytes: int


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
    if values["max_article_chars"] < 1:
        raise ConfigError("setting max_article_chars must be at least 1")
    if values["search_timeout"] < 0:
        raise ConfigError("setting search_timeout must not be negative (0: no limit)")
    for name in (
        "max_page_bytes",
        "max_page_elements",
        "extract_workers",
        "concurrency",
        "per_host_concurrency",
        "max_body_bytes",
        "max_decompression_ratio",
        "web_workers",
        "web_max_request_bytes",
        "source_lease",
    ):
        if values[name] < 1:
            raise ConfigError(f"setting {name} must be at least 1")
    if values["extract_timeout"] <= 0:
        raise ConfigError("setting extract_timeout must be more than 0 seconds")
    for name in ("inline_page_bytes", "inline_page_elements"):
        if values[name] < 0:
            raise ConfigError(f"setting {name} must not be negative")
    if values["min_update_interval"] > values["max_update_interval"]:
        raise ConfigError("setting min_update_interval must not exceed max_update_interval")
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

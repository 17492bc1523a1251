from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk import SETTINGS, ConfigError, load_config

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_precedence_option_env_file_default(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text('[newsdesk]\nmin_words = 10\ndata_dir = "/srv/news"\n')
    assert load_config(environ={}, config_file=cfg).min_words == 10
    assert load_config(environ={"NEWSDESK_MIN_WORDS": "20"}, config_file=cfg).min_words == 20
    assert (
        load_config({"min_words": 30}, environ={"NEWSDESK_MIN_WORDS": "20"}, config_file=cfg).min_words == 30
    )
    c = load_config(environ={}, config_file=cfg)
    assert c.db == "/srv/news/newsdesk.sqlite"  # the db follows the data folder
    assert load_config(environ={}).min_words == 60


def test_data_dir_default_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert load_config(environ={}).db == str(tmp_path / "newsdesk" / "newsdesk.sqlite")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSDESK_MIN_WORDS": "lots"}, "min_words"),
        ({"NEWSDESK_PROGRESS": "maybe"}, "true/false"),
        ({"NEWSDESK_MIN_WORDS": "0"}, "at least 1"),
        ({"NEWSDESK_EXTRACT_TIMEOUT": "0"}, "extract_timeout must be more than 0"),
        ({"NEWSDESK_EXTRACT_WORKERS": "0"}, "extract_workers must be at least 1"),
        ({"NEWSDESK_MAX_PAGE_ELEMENTS": "0"}, "max_page_elements must be at least 1"),
        ({"NEWSDESK_INLINE_PAGE_BYTES": "-1"}, "inline_page_bytes must not be negative"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(environ=env)


def test_bad_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text("min_words = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(environ={}, config_file=cfg)


def test_every_setting_is_documented() -> None:
    doc = (DOCS / "settings.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.name}`" in doc and s.env in doc and s.help

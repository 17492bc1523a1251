"""Entity bombs for the tests of every way a feed reaches newsdesk (files, update, add, the API)."""

from __future__ import annotations


def entity_bomb(size: int, host: str = "bomb.example") -> bytes:
    """A feed of about ``size`` bytes whose one long entity is referenced thousands of times (it
    expands to ~size²/12 characters), malformed (an undefined ``&nbsp;``) so that feedparser's
    loose parser, which expands entities without limit, is the one that runs."""
    value, refs = "A" * (size // 2), "&a;" * (size // 6)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{value}">\n]>\n<rss version="2.0"><channel>'
        f"<title>Bomb&nbsp;</title><item><title>t</title><link>http://{host}/b/1</link>"
        f"<description>{refs}</description></item></channel></rss>"
    ).encode()

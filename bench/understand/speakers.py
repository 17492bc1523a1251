"""``speakers``: how the desk ties quotes to entities (``understand.analyse``), on PolNeAR.

    .venv/bin/python -m bench.understand --parts speakers [--split dev]

Data: ../shared/data/quotes/polnear (no labels of who a pronoun is; Source spans only). For every
quote ``analyse`` finds that matches a gold attribution (the rules of the quotes part):

- resolved share: the quote's speaker is an entity of the article (``speaker_key``), the figure
  the issue asks for ("the share of quote speakers resolved to an entity"); also over all quotes
  found, matched or not;
- named-source agreement: where the gold Source is a name (its words capitalised, not a pronoun or
  "the company"), the stored speaker's name is that name or its surname or the name holds the
  speaker's (folded), so a resolution that goes wrong on a named source is seen; pronoun and
  description sources cannot be checked without coreference labels and are counted apart.

The rules for "he", "the union" and surnames were written on the sample corpus (whose truth names
every speaker); this part is where they meet text we did not write: tune nothing on dev.
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Any

from bench._common import markdown_table
from bench.understand.quotes import load, match

_WORD = re.compile(r"[^\W_]+")
_NOT_NAMES = frozenset("he she they it i we you the a an his her their its".split())


def _fold(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _is_name(words: list[str], raw: str) -> bool:
    caps = [w for w in raw.split() if w[:1].isalpha()]
    return bool(caps) and all(w[:1].isupper() for w in caps) and not (set(words) & _NOT_NAMES)


def agrees(stored: str | None, gold: str) -> bool:
    """A stored speaker agrees with a named gold Source: the same name, a part of it (surname,
    "Clinton" for "Hillary Clinton"), or a name holding it ("Hillary Clinton" for "Clinton")."""
    if stored is None:
        return False
    s, g = _fold(stored), _fold(gold)
    if not s or not g:
        return False
    return s == g or s[-1] == g[-1] or set(s) <= set(g) or set(g) <= set(s)


def score(split: str) -> dict[str, Any]:
    from newsdesk.understand import analyse
    from newsdesk.understand.quotes import find_quotes

    found = resolved_all = matched = resolved = named = named_ok = named_unresolved = other = 0
    started = time.perf_counter()
    for _name, text, gold in load(split):
        pred = find_quotes(text)
        stored = analyse(text).quotes
        assert len(stored) == len(pred)
        found += len(stored)
        resolved_all += sum(q.speaker_key is not None for q in stored)
        for gi, pi in match(text, gold, pred):
            matched += 1
            q = stored[pi]
            resolved += q.speaker_key is not None
            if not gold[gi].source:
                continue
            raw = " ".join(text[a:b] for a, b in gold[gi].source)
            if _is_name(_fold(raw), raw):
                named += 1
                if q.speaker is None:
                    named_unresolved += 1
                else:
                    named_ok += agrees(q.speaker, raw)
            else:
                other += 1
    return {
        "split": split,
        "quotes_found": found,
        "resolved_share_all": resolved_all / found if found else 0.0,
        "matched": matched,
        "resolved_share_matched": resolved / matched if matched else 0.0,
        "named_sources": named,
        "named_agree": named_ok / named if named else 0.0,
        "named_unnamed": named_unresolved / named if named else 0.0,
        "named_wrong": (named - named_ok - named_unresolved) / named if named else 0.0,
        "other_sources": other,
        "seconds": time.perf_counter() - started,
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench.understand --parts speakers")
    ap.add_argument("--split", default="dev")
    args, _ = ap.parse_known_args(argv or [])
    return score(args.split)


def report(r: dict[str, Any]) -> str:
    rows = [
        ["quotes found / resolved to an entity", str(r["quotes_found"]), f"{r['resolved_share_all']:.3f}"],
        ["matched to a gold attribution / resolved", str(r["matched"]), f"{r['resolved_share_matched']:.3f}"],
        ["named gold sources: stored speaker agrees", str(r["named_sources"]), f"{r['named_agree']:.3f}"],
        ["named gold sources: no speaker stored", str(r["named_sources"]), f"{r['named_unnamed']:.3f}"],
        ["named gold sources: another speaker stored", str(r["named_sources"]), f"{r['named_wrong']:.3f}"],
        ["pronoun or description sources (not checkable)", str(r["other_sources"]), ""],
    ]
    return (
        f"## speakers (PolNeAR {r['split']}: quotes tied to entities by understand.analyse)\n\n"
        + markdown_table(["", "n", "share"], rows)
        + f"\n\n{r['seconds']:.1f} s\n"
    )

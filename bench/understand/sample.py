"""``sample``: who said what on the bundled sample corpus, against its hand-made truth.

    .venv/bin/python -m bench.understand --parts sample [--examples N]

Data: the sample corpus (src/newsdesk/sample) ingested into a temporary SQLite desk, as ``newsdesk
demo`` does, and ``quotes.json`` beside it: for each annotated article (by URL) its attributions,
written by reading the stored texts (the sample's README says how). No outside data.

Each annotated article's stored text goes through ``find_quotes(text)`` and ``resolve_speaker``
(and ``understand.analyse``, what the desk stores: the same quotes with their speakers tied to the
article's entities, scored as "stored" speaker accuracy), and is scored with the rules of the PolNeAR part (bench/understand/quotes.py, whose ``match`` and
``_prf`` are used here):

- a quotation interrupted by its cue is one attribution (``text`` and its ``continued`` parts, as
  PolNeAR's Content and Content2);
- a predicted content matches a gold ``text`` when its span covers at least half of the gold's
  tokens (``\\w+`` runs), one to one, greedily by shared tokens; precision/recall/F1 over all
  attributions, and over direct ones only (direct matched among direct on both sides);
- speaker accuracy, over the matched pairs: the resolved name equals the truth's ``speaker``,
  case and spaces folded and ’ read as ', or is that speaker's last word alone (a surname: "Adeyemi"
  for "Fenwick Adeyemi"); a speaker written "A and B" (two people) is right when either is. Given
  over the speakers the text names (``named``) and over all, the unnamed ones ("economists", "a
  source at the club") included, which a name resolver cannot get right;
- mention overlap, over the matched pairs: the predicted speaker mention overlaps the truth's
  ``speaker_mention`` (its occurrence nearest the quote's text).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._common import REPO, markdown_table
from bench.understand.quotes import Gold, _prf, match

SAMPLE = REPO / "src" / "newsdesk" / "sample"
QUOTES = SAMPLE / "quotes.json"
#: Files of the sample folder that describe it rather than feed it (as ``newsdesk demo`` skips them).
NOT_INPUT = {"README.md", "truth.json", "quotes.json", "__init__.py", "__pycache__"}


@dataclass(frozen=True, slots=True)
class Annotated:
    """One annotated article: its stored text, its gold attributions (offsets into that text) and
    what quotes.json says of each (speaker, speaker_mention, named ...)."""

    url: str
    id: str
    text: str
    gold: list[Gold]
    truth: list[dict[str, Any]]


def load_truth(path: Path = QUOTES) -> dict[str, Any]:
    """quotes.json as written."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


@contextmanager
def stored_texts() -> Iterator[dict[str, str]]:
    """URL -> stored text of every article of the sample corpus, ingested into a temporary desk."""
    from newsdesk import open_desk

    with tempfile.TemporaryDirectory() as tmp, open_desk(Path(tmp) / "sample.sqlite") as desk:
        desk.ingest(sorted(str(p) for p in SAMPLE.iterdir() if p.name not in NOT_INPUT))
        yield {s.article.url: s.article.text for s in desk.articles()}


def _occurrences(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def locate(
    text: str, quotes: list[dict[str, Any]]
) -> list[tuple[tuple[tuple[int, int], ...], tuple[int, int]]]:
    """(content spans, mention span) of each annotation: the k-th annotation with a given ``text`` is
    its k-th occurrence, each ``continued`` part the next occurrence after it; the mention is its
    occurrence nearest that content."""
    seen: dict[str, int] = {}
    out = []
    for q in quotes:
        k = seen.get(q["text"], 0)
        seen[q["text"]] = k + 1
        hits = _occurrences(text, q["text"])
        if len(hits) <= k:
            raise ValueError(f"{q['text'][:60]!r} is not in the text (occurrence {k + 1})")
        spans = [(hits[k], hits[k] + len(q["text"]))]
        for part in q.get("continued", ()):
            at = text.find(part, spans[-1][1])
            if at < 0:
                raise ValueError(f"{part[:60]!r} does not follow {q['text'][:60]!r} in the text")
            spans.append((at, at + len(part)))
        start, end = spans[0][0], spans[-1][1]
        mentions = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(q['speaker_mention'])}(?!\w)", text)]
        if not mentions:
            raise ValueError(f"speaker mention {q['speaker_mention']!r} is not in the text")
        m = len(q["speaker_mention"])
        ms = min(mentions, key=lambda s: start - (s + m) if s + m <= start else max(s - end, 0))
        out.append((tuple(spans), (ms, ms + m)))
    return out


def articles(texts: dict[str, str], doc: dict[str, Any] | None = None) -> list[Annotated]:
    """The annotated articles, their gold located in their stored texts."""
    doc = doc or load_truth()
    out = []
    for url, entry in doc["articles"].items():
        if url not in texts:
            raise ValueError(f"{entry['id']}: {url} is not a stored article of the sample corpus")
        text = texts[url]
        gold = [
            Gold(content, (mention,), q["cue"], bool(q["direct"]))
            for q, (content, mention) in zip(entry["quotes"], locate(text, entry["quotes"]), strict=True)
        ]
        out.append(Annotated(url, entry["id"], text, gold, entry["quotes"]))
    return out


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def same_speaker(predicted: str | None, speaker: str) -> bool:
    """The resolved name is the truth's speaker: equal once folded, or that speaker's surname alone;
    "A and B" is right when either is."""
    if predicted is None:
        return False
    got = _fold(predicted)
    for one in [speaker, *(speaker.split(" and ") if " and " in speaker else [])]:
        want = _fold(one)
        if got == want or (" " not in got and got == want.split()[-1]):
            return True
    return False


def score(arts: list[Annotated], examples: int = 0) -> dict[str, Any]:
    """The figures over the annotated articles."""
    from newsdesk.understand import analyse
    from newsdesk.understand.quotes import find_quotes
    from newsdesk.understand.speakers import resolve_speaker

    tp = n_pred = n_gold = dtp = d_pred = d_gold = itp = i_gold = 0
    spk_ok = spk_n = named_ok = named_n = mention_ok = desk_ok = desk_wrong = 0
    missed: list[dict[str, str]] = []
    spurious: list[dict[str, str]] = []
    wrong_speaker: list[dict[str, str]] = []
    chars = 0
    started = time.perf_counter()
    for a in arts:
        chars += len(a.text)
        pred = find_quotes(a.text)
        names = resolve_speaker(pred, a.text)
        # What the desk stores: the same quotes, each speaker tied to the article's entities.
        stored = [q.speaker for q in analyse(a.text).quotes]
        assert len(stored) == len(pred), "analyse gives find_quotes' quotes, in order"
        pairs = match(a.text, a.gold, pred)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(a.gold)
        i_gold += sum(not g.direct for g in a.gold)
        itp += sum(not a.gold[gi].direct for gi, _ in pairs)
        gd = [g for g in a.gold if g.direct]
        pd = [p for p in pred if p.direct]
        dtp += len(match(a.text, gd, pd))
        d_pred += len(pd)
        d_gold += len(gd)
        for gi, pi in pairs:
            t, p, g = a.truth[gi], pred[pi], a.gold[gi]
            ok = same_speaker(names[pi], t["speaker"])
            spk_n += 1
            spk_ok += ok
            if t["named"]:
                named_n += 1
                named_ok += ok
                right = same_speaker(stored[pi], t["speaker"])
                desk_ok += right
                desk_wrong += stored[pi] is not None and not right
            ps, pe = p.speaker_start, p.speaker_end
            if ps is not None and pe is not None and any(s < pe and e > ps for s, e in g.source):
                mention_ok += 1
            if not ok and t["named"]:
                wrong_speaker.append(
                    {"id": a.id, "text": t["text"][:70], "speaker": t["speaker"], "resolved": str(names[pi])}
                )
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        missed += [
            {"id": a.id, "text": t["text"][:70], "speaker": t["speaker"], "cue": t["cue"]}
            for gi, t in enumerate(a.truth)
            if gi not in matched_g
        ]
        spurious += [
            {"id": a.id, "text": p.text[:70], "speaker": str(p.speaker_mention), "cue": p.cue}
            for pi, p in enumerate(pred)
            if pi not in matched_p
        ]
    elapsed = time.perf_counter() - started
    return {
        "articles": len(arts),
        "all": _prf(tp, n_pred, n_gold),
        "direct": _prf(dtp, d_pred, d_gold),
        "indirect_recall": itp / i_gold if i_gold else 0.0,
        "indirect_gold": i_gold,
        "speaker_accuracy_named": named_ok / named_n if named_n else 0.0,
        "speaker_pairs_named": named_n,
        "speaker_accuracy_stored_named": desk_ok / named_n if named_n else 0.0,
        "speaker_wrong_stored_named": desk_wrong / named_n if named_n else 0.0,
        "speaker_accuracy_all": spk_ok / spk_n if spk_n else 0.0,
        "speaker_pairs_all": spk_n,
        "mention_overlap": mention_ok / spk_n if spk_n else 0.0,
        "missed": missed[:examples],
        "spurious": spurious[:examples],
        "wrong_speaker": wrong_speaker[:examples],
        "chars_per_second": chars / elapsed if elapsed else 0.0,
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench.understand --parts sample")
    ap.add_argument("--examples", type=int, default=8, help="Show N missed, spurious and misattributed.")
    args, _ = ap.parse_known_args(argv or [])
    doc = load_truth()
    with stored_texts() as texts:
        arts = articles(texts, doc)
    result = score(arts, args.examples)
    result["events"] = doc["events"]
    return result


def _f(x: object) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def report(result: dict[str, Any]) -> str:
    r = result
    lines = [
        f"## sample (who said what on the sample corpus: {r['articles']} articles of events "
        f"{', '.join(r['events'])}, src/newsdesk/sample/quotes.json)",
        "",
    ]
    rows = []
    for part in ("all", "direct"):
        m = r[part]
        rows.append(
            [
                part,
                _f(m["precision"]),
                _f(m["recall"]),
                _f(m["f1"]),
                str(m["tp"]),
                str(m["predicted"]),
                str(m["gold"]),
            ]
        )
    rows.append(["indirect (recall only)", "", _f(r["indirect_recall"]), "", "", "", str(r["indirect_gold"])])
    # a share over the matched pairs: in the F1 column, with the pairs it is over as its "gold"
    for label, share, pairs in (
        ("speaker accuracy, named speakers", "speaker_accuracy_named", "speaker_pairs_named"),
        (
            "speaker accuracy, named speakers, as the desk stores them (tied to entities)",
            "speaker_accuracy_stored_named",
            "speaker_pairs_named",
        ),
        ("another speaker stored than the named one", "speaker_wrong_stored_named", "speaker_pairs_named"),
        ("speaker accuracy, all speakers", "speaker_accuracy_all", "speaker_pairs_all"),
        ("speaker mention overlap", "mention_overlap", "speaker_pairs_all"),
    ):
        rows.append([label, "", "", _f(r[share]), "", "", str(r[pairs])])
    lines.append(markdown_table(["", "P", "R", "F1", "matched", "predicted", "gold"], rows))
    lines += ["", f"{r['chars_per_second'] / 1000:.0f}k chars/s"]
    for key, title in (
        ("missed", "missed (gold not found)"),
        ("spurious", "spurious (predicted, not in the truth)"),
        ("wrong_speaker", "found, named speaker not resolved"),
    ):
        if r[key]:
            lines += ["", f"### {title}, first {len(r[key])}", ""]
            lines += [
                f"- {e['id']}: " + "; ".join(f"{k} {v!r}" for k, v in e.items() if k != "id") for e in r[key]
            ]
    return "\n".join(lines) + "\n"

"""(c) ``control``: SemEval-2022 task 8 pairs telling the same story; any copy relation is a false positive."""

from __future__ import annotations

import contextlib
import csv
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.provenance.scoring import _components, _ratio, hash_id

csv.field_size_limit(1 << 30)


# -- (c) the same-story control ------------------------------------------------------------------------


def load_semeval(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / "similarity" / "semeval2022-task8-pairs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_control(data_dir: Path, *, quick: bool = False) -> dict[str, Any]:
    from newsdesk import ArticleNotFoundError, EntryHints, Fetched, InvalidURLError, open_desk

    rows = load_semeval(data_dir)
    texts: dict[str, tuple[str, str]] = {}
    pairs = []
    for r in rows:
        a, b = [*r["pair_id"].split("_"), ""][:2]
        texts.setdefault(a, (r["lang1"], r["text1"]))
        texts.setdefault(b, (r["lang2"], r["text2"]))
        pairs.append((a, b, r["lang1"], r["lang2"], float(r["Overall"])))
    items = []
    for aid, (lang, text) in sorted(texts.items()):
        text = text.strip()
        title = text.split("\n", 1)[0][:120] or aid
        url = f"https://outlet{hash_id(aid) % 97}.example/{lang}/{aid}"
        items.append(
            Fetched(
                url=url,
                body=b"",
                origin=url,
                source=f"outlet{hash_id(aid) % 97}",
                hints=EntryHints(title=title, text=text, language=lang),
            )
        )
    with tempfile.TemporaryDirectory(prefix="nd-prov-ctl-") as tmp:
        desk = open_desk(Path(tmp) / "ctl.db", min_words=1)
        try:
            t0 = time.perf_counter()
            desk.ingest_items(items)
            seconds = time.perf_counter() - t0
            by_id: dict[int, str] = {}
            for f in items:
                with contextlib.suppress(ArticleNotFoundError, InvalidURLError):
                    by_id[desk.get_article(f.url).id] = f.url.rsplit("/", 1)[1]
            edges = [
                (by_id.get(e.copy_id, "?"), by_id.get(e.original_id, "?"), e.kind.value, e.evidence)
                for e in desk.copy_edges()
            ]
            texts_stored = {v: desk.get_article(k).article.text for k, v in by_id.items()}
        finally:
            if hasattr(desk, "close"):
                desk.close()
    comp = _components((c, o) for c, o, _, _ in edges)
    from newsdesk import provenance as pv

    def subset(name: str, keep: list[tuple[str, str, str, str, float]]) -> dict[str, Any]:
        flagged = [p for p in keep if p[0] in comp and p[1] in comp and comp[p[0]] == comp[p[1]]]
        both_long = [
            p for p in keep if all(len((texts_stored.get(x) or "").split()) >= pv.MIN_WORDS for x in p[:2])
        ]
        examples = []
        for a, b, la, lb, ov in flagged[:10]:
            sim = pv.compare(texts_stored.get(a, ""), texts_stored.get(b, ""))
            examples.append(
                {
                    "pair": f"{a}_{b}",
                    "langs": f"{la}-{lb}",
                    "overall": ov,
                    "containment": sim.containment,
                    "aligned": sim.aligned,
                    "resemblance": sim.resemblance,
                    "kind": sim.kind,
                    "a": texts_stored.get(a, "")[:160],
                    "b": texts_stored.get(b, "")[:160],
                }
            )
        return {
            "name": name,
            "pairs": len(keep),
            "comparable": len(both_long),
            "flagged": len(flagged),
            "rate": _ratio(len(flagged), len(keep)),
            "examples": examples,
        }

    same = [p for p in pairs if p[4] <= 1.5]
    out = {
        "articles": len(texts),
        "stored": len(by_id),
        "seconds": seconds,
        "edges": len(edges),
        "edge_list": [
            (c, o, k, ev.get("containment"), ev.get("aligned_sentences"), ev.get("resemblance"))
            for c, o, k, ev in edges
        ],
        "sets": [
            subset("en-en, Overall <= 1.5", [p for p in same if p[2] == p[3] == "en"]),
            subset("same language, Overall <= 1.5", [p for p in same if p[2] == p[3]]),
            subset("all languages, Overall <= 1.5", same),
            subset("all pairs (any score)", pairs),
        ],
    }
    # how close do same-story English pairs come to the thresholds?
    sims = []
    for a, b, la, lb, _ in same:
        if la == lb == "en" and a in texts_stored and b in texts_stored:
            s = pv.compare(texts_stored[a], texts_stored[b])
            sims.append((s.containment, s.aligned, s.resemblance))
    if sims:
        out["en_max"] = {
            "containment": max(s[0] for s in sims),
            "aligned": max(s[1] for s in sims),
            "resemblance": max(s[2] for s in sims),
        }
    return out

"""Entities on GUM's Wikinews documents: named person/organisation/place mentions, and joining.

    .venv/bin/python -m bench.understand --parts entities [--repeat 3]

- **mentions**: exact span and type precision/recall/F1, per type and micro (and of the span
  alone, whatever its type), of the named mentions. GUM has no type for a people, nationality or
  faith (newsdesk's ``group``, OntoNotes' NORP): it files "Afghan", "Muslims" under person or
  organisation, so a ``group`` mention is right where GUM has its span as either, and counts
  there; one GUM does not name is a wrong ``group`` mention (the row ``group``),
  (``bench/understand/gum.py`` says which GUM mentions are named and what their span is), on dev
  (tuned on train) and on train (the model saw it: the gap shows how far it learnt the data by
  heart), for ``find_entities`` and for a capitalisation baseline (runs of capitalised words typed
  by the model's own word lists: titles, first names, organisation words, place names, and place
  prepositions);
- **joining**: for each person of a document (GUM's coreference ID), of the named mentions of it that
  ``find_entities`` found, the share in the one entity that holds most of them (chains of two or
  more found mentions); and of all GUM's mentions of people (pronouns and nominals too), the share
  that lie in the entity of their person;
- **cost**: CPU milliseconds per 1,000 words of ``find_entities`` (the model loaded; best of
  ``--repeat``), and of ``find_figures``.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench._common import eval_data, markdown_table
from bench.understand.gum import Document, lower_words, read_documents
from newsdesk.understand.entities import _FIRST_NAMES as _FIRST
from newsdesk.understand.entities import _ORG_WORDS as _ORG
from newsdesk.understand.entities import _PLACES, TITLES, find_entities, find_figures, tokenise

TYPES = ("person", "organisation", "place")
_WORDS = re.compile(r"\w+")
_TITLED = re.compile(r"(?i)the (\w+)$")

# -- the baseline ------------------------------------------------------------------------------------

_JOINERS = {"of", "and", "&", "de", "-"}
_CLOSED = set(
    "the a an this that these those his her its their our my your i you we he she they it me us him "
    "them in on at for but and or if when while after before as so".split()
)
_MONTHS = set(
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday".split()
)
_PLACE_CUES = {"in", "at", "from", "near", "to"}


def baseline(text: str) -> set[tuple[int, int, str]]:
    """Named mentions by capitalisation alone (the reference a model must beat)."""
    spans = tokenise(text)
    words = [text[a:b] for a, b in spans]
    lower_seen = {w for w in words if w.islower()}
    out: set[tuple[int, int, str]] = set()
    i = 0
    while i < len(words):
        w = words[i]
        start_of_sentence = i == 0 or words[i - 1] in {".", "?", "!", '"', ":"}
        if not w[:1].isupper() or w.lower() in _CLOSED or w.lower() in _MONTHS:
            i += 1
            continue
        if start_of_sentence and w.lower() in lower_seen:
            i += 1
            continue
        j = i + 1
        while j < len(words) and (
            words[j][:1].isupper()
            or (words[j] in _JOINERS and j + 1 < len(words) and words[j + 1][:1].isupper())
        ):
            j += 1
        run = list(range(i, j))
        titled = False
        while run and words[run[0]].lower().rstrip(".") in TITLES:
            run, titled = run[1:], True
        if run:
            lowers = [words[k].lower() for k in run]
            if titled or lowers[0] in _FIRST:
                kind = "person"
            elif any(x in _ORG for x in lowers) or (len(run) == 1 and words[run[0]].isupper()):
                kind = "organisation"
            elif any(x in _PLACES for x in lowers) or (i and words[i - 1].lower() in _PLACE_CUES):
                kind = "place"
            else:
                kind = "person" if len(run) > 1 else "place"
            out.add((spans[run[0]][0], spans[run[-1]][1], kind))
        i = j
    return out


# -- scoring -------------------------------------------------------------------------------------------


def _predicted(text: str) -> set[tuple[int, int, str]]:
    out = set()
    for e in find_entities(text):
        for m in e.mentions:
            title = _TITLED.match(m.text)
            if title and title.group(1).lower() in TITLES:
                continue  # "the president": a resolved nominal, not a name
            out.add((m.start, m.end, e.type.value))
    return out


def _prf(tp: int, pred: int, gold: int) -> dict[str, float | int]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "predicted": pred,
        "gold": gold,
    }


def _as_gum(mention: tuple[int, int, str], truth: set[tuple[int, int, str]]) -> tuple[int, int, str]:
    """A ``group`` mention in GUM's scheme: the type GUM gives its span, person or organisation."""
    start, end, kind = mention
    if kind == "group":
        for gum in ("person", "organisation"):
            if (start, end, gum) in truth:
                return start, end, gum
    return mention


def score(docs: list[Document], system: Any) -> dict[str, dict[str, float | int]]:
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    spans_tp: Counter[str] = Counter()
    for doc in docs:
        truth = set(doc.named())
        guess = {_as_gum(m, truth) for m in system(doc.text)}
        for _, _, t in truth:
            gold[t] += 1
        for _, _, t in guess:
            pred[t] += 1
        for _, _, t in truth & guess:
            tp[t] += 1
        spans_tp["any"] += len({m[:2] for m in truth} & {m[:2] for m in guess})
    out = {t: _prf(tp[t], pred[t], gold[t]) for t in (*TYPES, "group")}
    out["micro"] = _prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))
    out["span"] = _prf(spans_tp["any"], sum(pred.values()), sum(gold.values()))
    return out


def joining(docs: list[Document]) -> dict[str, float | int]:
    """How many mentions of one person ``find_entities`` puts into one entity (see the docstring)."""
    held = found = chains = 0
    all_held = all_gold = 0
    for doc in docs:
        where: dict[tuple[int, int], int] = {}
        for k, e in enumerate(find_entities(doc.text)):
            for m in e.mentions:
                where[(m.start, m.end)] = k
        named: defaultdict[int, list[int]] = defaultdict(list)
        every: defaultdict[int, list[int | None]] = defaultdict(list)
        for m in doc.mentions:
            if m.type != "person":
                continue
            k = where.get(m.name) if m.name else None
            if k is None:
                k = where.get((m.start, m.end))
            every[m.entity].append(k)
            if m.name and k is not None:
                named[m.entity].append(k)
        for ks in named.values():
            if len(ks) >= 2:
                chains += 1
                found += len(ks)
                held += Counter(ks).most_common(1)[0][1]
        for ent, ks in every.items():
            all_gold += len(ks)
            main = Counter(named[ent]).most_common(1)[0][0] if named[ent] else None
            all_held += sum(1 for k in ks if k is not None and k == main)
    return {
        "named_share": round(held / found, 4) if found else 0.0,
        "named_mentions": found,
        "chains": chains,
        "all_mentions_share": round(all_held / all_gold, 4) if all_gold else 0.0,
        "all_mentions": all_gold,
    }


def cost(docs: list[Document], repeat: int) -> dict[str, float]:
    words = sum(len(_WORDS.findall(d.text)) for d in docs)
    find_entities(docs[0].text)  # load the model first
    best_e = best_f = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for d in docs:
            find_entities(d.text)
        t1 = time.process_time()
        for d in docs:
            find_figures(d.text)
        t2 = time.process_time()
        best_e, best_f = min(best_e, t1 - t0), min(best_f, t2 - t1)
    return {
        "words": words,
        "entities_ms_per_1k_words": round(1000 * best_e / words * 1000, 3),
        "figures_ms_per_1k_words": round(1000 * best_f / words * 1000, 3),
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="bench.understand entities")
    ap.add_argument(
        "--data", type=Path, default=None, help="GUM's folder (default: entities/gum of the eval data)"
    )
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (the best counts)")
    args, _ = ap.parse_known_args(argv)
    base = args.data or eval_data("entities", "gum")
    lower = lower_words(base / "train", base / "dev")
    splits = {s: read_documents(base / s, lower) for s in ("dev", "train")}
    out: dict[str, Any] = {"data": str(base)}
    for name, docs in splits.items():
        out[name] = {
            "documents": len(docs),
            "model": score(docs, _predicted),
            "baseline": score(docs, baseline),
            "joining": joining(docs),
        }
    out["cost"] = cost(splits["dev"] + splits["train"], args.repeat)
    return out


def report(result: dict[str, Any]) -> str:
    lines = ["## entities", "", f"GUM Wikinews documents at {result['data']}.", ""]
    for split in ("dev", "train"):
        r = result[split]
        rows = []
        for t in (*TYPES, "group", "micro", "span"):
            m, b = r["model"][t], r["baseline"][t]
            if t == "group":
                # what GUM names no person or organisation: wrong mentions, no recall to give
                rows.append([t, "", f"({m['predicted']} not in GUM)", "", "", "", "", ""])
                continue
            rows.append(
                [
                    t,
                    str(m["gold"]),
                    f"{m['precision']:.3f}",
                    f"{m['recall']:.3f}",
                    f"{m['f1']:.3f}",
                    f"{b['precision']:.3f}",
                    f"{b['recall']:.3f}",
                    f"{b['f1']:.3f}",
                ]
            )
        rows[-1][0] = "span, any type"
        lines += [
            f"### {split} ({r['documents']} documents)",
            "",
            markdown_table(["type", "gold", "P", "R", "F1", "baseline P", "baseline R", "baseline F1"], rows),
            "",
        ]
        j = r["joining"]
        lines.append(
            f"Joining: {j['named_share']:.3f} of {j['named_mentions']} named mentions of {j['chains']} people "
            f"lie in their person's main entity; {j['all_mentions_share']:.3f} of all {j['all_mentions']} "
            "mentions of people (pronouns and nominals too)."
        )
        lines.append("")
    c = result["cost"]
    lines.append(
        f"Cost: {c['entities_ms_per_1k_words']:.2f} CPU ms per 1,000 words (find_entities), "
        f"{c['figures_ms_per_1k_words']:.2f} (find_figures), over {c['words']:,} words."
    )
    return "\n".join(lines) + "\n"

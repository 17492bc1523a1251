"""Who said what: ``newsdesk.understand.quotes.find_quotes`` on PolNeAR v1.0 (train and dev).

    .venv/bin/python -m bench.understand --parts quotes [--split train,dev] [--limit N] [--crf]

Data: ``bench._common.eval_data("quotes", "polnear")``, ``<split>/text/<name>.txt`` and
``<split>/attributions/<name>_<annotator>.ann`` (brat standoff). An article annotated by several
annotators is scored against ONE of them, the first by name (annotator id), so no article counts
twice. A gold attribution is an ``E`` line with a Content (its ``Content2`` joined to it, as
discontinuous spans are); attributions without a Content are left out.

Scoring (issue 17):

- tokens are ``\\w+`` runs; a predicted content matches a gold Content when its span covers at
  least half of the gold Content's tokens; matching is one-to-one, greedy by shared tokens;
- precision/recall/F1 over all attributions, and over direct quotes only (gold: the Content
  begins or ends with a quotation mark, or the marks enclose it; predicted: ``Quote.direct``;
  direct is matched among direct on both sides);
- speaker accuracy: of the matched pairs whose gold has a Source, the share whose predicted
  speaker mention overlaps that Source;
- each split twice: ``find_quotes(text)`` (speech: what newsdesk shows as quotes) and
  ``find_quotes(text, stance=True)`` (also the positions a source takes: accused, urged, wants ...,
  which PolNeAR counts as attributions too; the row to read against the issue's targets for all
  attributions);
- errors by type: the recall of gold attributions by the kind of their cue (a speech verb, "according
  to", a colon, a belief or perception verb, other), direct or not, and the precision of predictions by
  their cue, so what is missed is visible.

``--crf`` also trains a CRF (python-crfsuite) on train, over words and these rules' outputs, and
scores its Contents on dev, alone and added where no rule predicted anything (over all
attributions, and over direct quotes only): what a trained tagger would buy. It lives in a
temporary folder and is thrown away (``--limit`` limits its train articles).

PolNeAR's text is used here only to measure; none of it is copied into the repository, and no
model of it is kept.
"""

from __future__ import annotations

import argparse
import bisect
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._common import eval_data, markdown_table
from newsdesk.understand import _quote_text
from newsdesk.understand import quotes as q

SPLITS = ("train", "dev")
_TOKEN = re.compile(r"\w+")
_MARKS = '"“”«»„‟'


@dataclass(frozen=True, slots=True)
class Gold:
    """One gold attribution: its Content spans, its Source spans, its cue text, direct or not."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: str
    direct: bool


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in field.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return tuple(out)


def is_direct(text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    """A gold Content is direct when it begins or ends with a quotation mark, or marks enclose it.
    Two apostrophes are a mark (the New York Times' plain text writes ''so'')."""
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    inner = text[start:end].strip()
    if not inner:
        return False

    def mark(s: str) -> bool:
        return s[:1] in _MARKS or s[:2] == "''"

    if mark(inner) or mark(inner[-1:]) or inner.endswith("''") or mark(inner.rstrip(".,!?")[-1:]):
        return True
    if inner.rstrip(".,!?").endswith("''"):
        return True
    before = text[max(0, start - 2) : start].strip()
    after = text[end : end + 2].strip()
    return bool(before) and (before[-1] in _MARKS or before.endswith("''")) and mark(after)


def read_ann(path: Path, text: str) -> list[Gold]:
    """The gold attributions of one brat standoff file."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, where = parts[1].partition(" ")
            try:
                spans[parts[0]] = (kind, _spans(where))
            except ValueError:
                continue
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(r.split(":", 1) for r in parts[1].split() if ":" in r)
            events.append(roles)
    out = []
    for roles in events:
        content: list[tuple[int, int]] = []
        for role in ("Content", "Content2", "Content3"):
            if role in roles and roles[role] in spans:
                content.extend(spans[roles[role]][1])
        if not content:
            continue
        source = spans[roles["Source"]][1] if roles.get("Source") in spans else ()
        cue_spans = spans[roles["Cue"]][1] if roles.get("Cue") in spans else ()
        cue = " ".join(text[s:e] for s, e in cue_spans)
        out.append(Gold(tuple(sorted(content)), source, cue, is_direct(text, tuple(content))))
    return out


def load(split: str, root: Path | None = None) -> list[tuple[str, str, list[Gold]]]:
    """(name, text, gold) per article of a split, one annotator per article: the first by name."""
    base = (root or eval_data("quotes", "polnear")) / split
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in (base / "attributions").glob("*.ann"):
        name, _, _annotator = ann.stem.rpartition("_")
        by_article[name].append(ann)
    out = []
    for name in sorted(by_article):
        text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
        ann = sorted(by_article[name], key=lambda p: p.name)[0]
        out.append((name, text, read_ann(ann, text)))
    return out


def _token_spans(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for s, e in spans for m in _TOKEN.finditer(text, s, e)]


def _shared(tokens: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(1 for s, e in tokens if s < end and e > start)


def match(text: str, gold: list[Gold], pred: list[q.Quote]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: a prediction covering at least half of a gold
    Content's tokens, greedily by the number of tokens shared."""
    candidates = []
    for gi, g in enumerate(gold):
        toks = _token_spans(text, g.content)
        if not toks:
            continue
        for pi, p in enumerate(pred):
            shared = _shared(toks, p.start, p.end)
            if shared * 2 >= len(toks):
                candidates.append((shared / len(toks), shared, gi, pi))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "predicted": n_pred, "gold": n_gold}


_SPEECH = re.compile(
    r"\b(say|says|said|saying|tell|tells|told|telling|add|adds|added|adding|note|notes|noted|noting|"
    r"write|writes|wrote|writing|tweet\w*|ask\w*|explain\w*|state[sd]?|stating|continu\w+|"
    r"argu\w+|claim\w*|insist\w*|den(y|ies|ied)|warn\w*|report\w*|announc\w+|declar\w+|"
    r"repl\w+|respond\w*|recall\w*|acknowledg\w+|admit\w*|conced\w+|predict\w*|suggest\w*|"
    r"call\w*|describ\w+|accus\w+|quip\w*|joke\w*|boast\w*|vow\w*|promis\w+|urg\w+|confirm\w*)\b",
    re.I,
)
_BELIEF = re.compile(
    r"\b(think\w*|thought|believ\w+|want\w*|hope\w*|fear\w*|seem\w*|appear\w*|expect\w*|feel\w*|"
    r"felt|know\w*|knew|see|sees|saw|view\w*|consider\w*|wonder\w*|worr\w+|support\w*|oppos\w+|"
    r"plan\w*|intend\w*|decid\w+|agree\w*|sought|seek\w*|prefer\w*)\b",
    re.I,
)
_EVIDENCE = re.compile(r"\b(show\w*|found|find\w*|indicat\w+|poll\w*|survey\w*|data|stud\w+)\b", re.I)


def cue_kind(cue: str) -> str:
    """A coarse kind of a cue, for the breakdown of errors."""
    c = cue.strip().lower()
    if not c or c in {":", "-", "—"}:
        return "colon or none"
    if "according" in c:
        return "according to"
    if _SPEECH.search(c):
        return "speech verb"
    if _BELIEF.search(c):
        return "belief/intent verb"
    if _EVIDENCE.search(c):
        return "evidence (show, find)"
    return "other"


def score(split: str, limit: int | None = None, *, stance: bool = False) -> dict[str, Any]:
    """The figures of one split."""
    articles = load(split)[:limit] if limit else load(split)
    tp = n_pred = n_gold = 0
    dtp = d_pred = d_gold = 0
    spk_ok = spk_n = 0
    by_kind_gold: Counter[str] = Counter()
    by_kind_hit: Counter[str] = Counter()
    pred_by_cue: Counter[str] = Counter()
    pred_hit_by_cue: Counter[str] = Counter()
    missed_cues: Counter[str] = Counter()
    missed_where: Counter[str] = Counter()
    started = time.perf_counter()
    chars = 0
    for _name, text, gold in articles:
        chars += len(text)
        pred = q.find_quotes(text, stance=stance)
        pairs = match(text, gold, pred)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gold)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            kind = ("direct " if g.direct else "indirect ") + cue_kind(g.cue)
            by_kind_gold[kind] += 1
            if gi in matched_g:
                by_kind_hit[kind] += 1
                continue
            missed_cues[g.cue.lower().strip()] += 1
            start, end = g.content[0][0], g.content[-1][1]
            near = [pi for pi, p in enumerate(pred) if p.start < end and p.end > start]
            if not near:
                missed_where["nothing predicted there"] += 1
            elif all(pi in matched_p for pi in near):
                missed_where["inside a prediction matched to another gold (two in one)"] += 1
            else:
                missed_where["a prediction overlaps, under half the tokens (boundaries)"] += 1
        for pi, p in enumerate(pred):
            key = p.cue.lower() if p.cue else "(no cue)"
            pred_by_cue[key] += 1
            if pi in matched_p:
                pred_hit_by_cue[key] += 1
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if not g.source:
                continue
            spk_n += 1
            ps, pe = p.speaker_start, p.speaker_end
            if ps is not None and pe is not None and any(s < pe and e > ps for s, e in g.source):
                spk_ok += 1
        gd = [g for g in gold if g.direct]
        pd = [p for p in pred if p.direct]
        dtp += len(match(text, gd, pd))
        d_pred += len(pd)
        d_gold += len(gd)
    elapsed = time.perf_counter() - started
    kinds = {
        k: {"gold": by_kind_gold[k], "found": by_kind_hit[k], "recall": by_kind_hit[k] / by_kind_gold[k]}
        for k in sorted(by_kind_gold, key=lambda k: -by_kind_gold[k])
    }
    cues = {
        k: {"predicted": pred_by_cue[k], "matched": pred_hit_by_cue[k]}
        for k, _ in pred_by_cue.most_common(25)
    }
    return {
        "split": split,
        "articles": len(articles),
        "all": _prf(tp, n_pred, n_gold),
        "direct": _prf(dtp, d_pred, d_gold),
        "speaker_accuracy": spk_ok / spk_n if spk_n else 0.0,
        "speaker_pairs": spk_n,
        "recall_by_kind": kinds,
        "precision_by_cue": cues,
        "missed_cues": dict(missed_cues.most_common(25)),
        "missed_where": dict(missed_where.most_common()),
        "chars_per_second": chars / elapsed if elapsed else 0.0,
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench.understand --parts quotes")
    ap.add_argument("--split", default=",".join(SPLITS), help="Comma-separated: train, dev")
    ap.add_argument("--limit", type=int, default=None, help="Only the first N articles of each split.")
    ap.add_argument(
        "--crf",
        action="store_true",
        help="Also train a CRF on train (a minute or two) and score it on dev: what a tagger would add.",
    )
    ap.add_argument(
        "--misses",
        type=int,
        default=0,
        help="Also print N train direct Contents the rules miss and N/2 spurious direct predictions, "
        "sampled with --seed, each with its context (train only: dev is not read for errors).",
    )
    ap.add_argument("--seed", type=int, default=0, help="The seed of --misses' sample.")
    args, _ = ap.parse_known_args(argv or [])
    root = eval_data("quotes", "polnear")
    if not root.is_dir():
        return {"missing": str(root)}
    if args.misses:
        return {"misses": direct_errors(args.misses, args.misses // 2, seed=args.seed, limit=args.limit)}
    out: dict[str, Any] = {}
    for split in [p for p in args.split.split(",") if p]:
        out[split] = score(split, args.limit)
        out[f"{split}+stance"] = score(split, args.limit, stance=True)
    if args.crf:
        out["crf"] = crf_figure(limit=args.limit)
    return out


def _f(x: object) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def report(result: dict[str, Any]) -> str:
    if "missing" in result:
        return f"## quotes\n\nPolNeAR not found at {result['missing']}\n"
    if "misses" in result:
        return _report_errors(result["misses"])
    lines = [
        "## quotes (PolNeAR v1.0; one annotator per article, the first by name; "
        "+stance: find_quotes(stance=True))",
        "",
    ]
    rows = []
    tagger = result.get("crf")
    result = {k: v for k, v in result.items() if k != "crf"}
    for split, r in result.items():
        for part in ("all", "direct"):
            m = r[part]
            rows.append(
                [
                    f"{split} {part}",
                    _f(m["precision"]),
                    _f(m["recall"]),
                    _f(m["f1"]),
                    str(m["tp"]),
                    str(m["predicted"]),
                    str(m["gold"]),
                ]
            )
        rows.append(
            [f"{split} speaker accuracy", "", "", _f(r["speaker_accuracy"]), "", "", str(r["speaker_pairs"])]
        )
    lines.append(markdown_table(["", "P", "R", "F1", "matched", "predicted", "gold"], rows))
    for split, r in result.items():
        if not split.endswith("+stance"):
            continue
        lines += [
            "",
            f"### {split}: recall by kind of gold attribution ({r['articles']} articles, "
            f"{r['chars_per_second'] / 1000:.0f}k chars/s)",
            "",
        ]
        lines.append(
            markdown_table(
                ["kind", "gold", "found", "recall"],
                [
                    [k, str(v["gold"]), str(v["found"]), _f(v["recall"])]
                    for k, v in r["recall_by_kind"].items()
                ],
            )
        )
        lines += ["", f"### {split}: precision by predicted cue (top 25)", ""]
        lines.append(
            markdown_table(
                ["cue", "predicted", "matched", "precision"],
                [
                    [k, str(v["predicted"]), str(v["matched"]), _f(v["matched"] / v["predicted"])]
                    for k, v in r["precision_by_cue"].items()
                ],
            )
        )
        lines += ["", f"### {split}: where the missed gold attributions are", ""]
        lines.append(markdown_table(["", "gold"], [[k, str(v)] for k, v in r["missed_where"].items()]))
        lines += ["", f"### {split}: most missed gold cues", ""]
        lines.append(", ".join(f"{k!r} {v}" for k, v in r["missed_cues"].items()))
    if tagger:
        lines += [
            "",
            f"### a CRF trained on train ({tagger['train_articles']} articles, {tagger['iterations']} "
            f"iterations, {tagger['train_seconds']:.0f} s; bench only, not shipped), on dev's Contents",
            "",
        ]
        lines.append(
            markdown_table(
                ["", "P", "R", "F1"],
                [
                    [name, _f(tagger[key]["precision"]), _f(tagger[key]["recall"]), _f(tagger[key]["f1"])]
                    for name, key in (
                        ("tagger, all", "all"),
                        ("tagger, direct", "direct"),
                        ("rules (stance=True) + tagger where no rule is", "rules_and_tagger"),
                        ("rules (stance=True) + tagger where no rule is, direct", "rules_and_tagger_direct"),
                        ("rules (stance=True) alone, direct", "rules_direct"),
                    )
                ],
            )
        )
    return "\n".join(lines) + "\n"


# -- direct quotes missed and spurious, for reading (train only) -----------------------------------


def _context(text: str, start: int, end: int, marks: list[tuple[int, int, str, str]]) -> str:
    """The paragraph before, the paragraph of ``start`` .. ``end`` and the one after (at most 500
    characters before and 300 after), each span of ``marks`` (start, end, opening, closing) bracketed
    in place."""
    lo = text.rfind("\n\n", 0, max(0, text.rfind("\n\n", 0, start)))
    lo = 0 if lo < 0 else lo + 2
    hi = text.find("\n\n", text.find("\n\n", end) + 2) if text.find("\n\n", end) >= 0 else -1
    hi = len(text) if hi < 0 else hi
    lo, hi = max(lo, start - 500), min(hi, end + 300)  # paragraphs on one line can run long
    inserts: list[tuple[int, int, str]] = []
    for a, b, opening, closing in marks:
        if lo <= a and b <= hi:
            inserts += [(a, 1, opening), (b, 0, closing)]
    out = text[lo:hi]
    for pos, _, tag in sorted(inserts, key=lambda t: (-t[0], t[1])):
        out = out[: pos - lo] + tag + out[pos - lo :]
    return out


def direct_errors(
    n_missed: int, n_spurious: int, *, seed: int = 0, limit: int | None = None
) -> dict[str, Any]:
    """A seeded sample of train's gold direct Contents that no direct prediction of ``find_quotes``
    matches, and of its direct predictions that match no gold direct Content, with their context:
    gold Contents in ⟦ ⟧ (the one in question in ⟦⟦ ⟧⟧), direct predictions in ‹ › (the one in
    question in ‹‹ ››), other predictions in { }. For reading by eye; the classes are the reader's."""
    import random

    articles = load("train")[:limit] if limit else load("train")
    missed: list[tuple[int, int]] = []
    spurious: list[tuple[int, int]] = []
    cache: dict[int, tuple[list[Gold], list[q.Quote], list[q.Quote]]] = {}
    for ai, (_name, text, gold) in enumerate(articles):
        gd = [g for g in gold if g.direct]
        every = q.find_quotes(text)
        pd = [p for p in every if p.direct]
        cache[ai] = (gd, pd, [p for p in every if not p.direct])
        pairs = match(text, gd, pd)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        missed += [(ai, gi) for gi in range(len(gd)) if gi not in matched_g]
        spurious += [(ai, pi) for pi in range(len(pd)) if pi not in matched_p]
    rng = random.Random(seed)
    take_m = sorted(rng.sample(missed, min(n_missed, len(missed))))
    take_s = sorted(rng.sample(spurious, min(n_spurious, len(spurious))))

    def show(ai: int, which: str, idx: int) -> dict[str, Any]:
        name, text, gold = articles[ai]
        gd, pd, indirect = cache[ai]
        marks = [(s, e, "⟦", "⟧") for g in gold for s, e in g.content]
        marks += [(p.start, p.end, "‹", "›") for p in pd]
        marks += [(p.start, p.end, "{", "}") for p in indirect]
        if which == "missed":
            g = gd[idx]
            start, end = g.content[0][0], g.content[-1][1]
            marks += [(s, e, "⟦", "⟧") for s, e in g.content]
            item = {
                "gold": " … ".join(text[s:e] for s, e in g.content),
                "cue": g.cue,
                "source": " ".join(text[s:e] for s, e in g.source),
            }
        else:
            p = pd[idx]
            start, end = p.start, p.end
            marks.append((p.start, p.end, "‹", "›"))
            item = {"predicted": p.text, "cue": p.cue, "speaker": p.speaker_mention or ""}
        item["article"] = name
        item["context"] = _context(text, start, end, marks)
        return item

    return {
        "seed": seed,
        "missed_total": len(missed),
        "spurious_total": len(spurious),
        "missed": [show(ai, "missed", gi) for ai, gi in take_m],
        "spurious": [show(ai, "spurious", pi) for ai, pi in take_s],
    }


def _report_errors(r: dict[str, Any]) -> str:
    lines = [
        f"## quotes: train direct Contents missed ({len(r['missed'])} of {r['missed_total']}) and "
        f"spurious direct predictions ({len(r['spurious'])} of {r['spurious_total']}), seed {r['seed']}",
        "",
        "gold Contents ⟦ ⟧ (the one missed ⟦⟦ ⟧⟧), direct predictions ‹ › (the spurious one ‹‹ ››), "
        "other predictions { }",
    ]
    for kind in ("missed", "spurious"):
        for i, item in enumerate(r[kind], 1):
            lines += ["", f"### {kind} {i}: {item['article']}"]
            lines += [f"{k}: {item[k]!r}" for k in item if k not in {"article", "context"}]
            lines += ["", item["context"]]
    return "\n".join(lines) + "\n"


# -- what a trained tagger would buy (bench only; nothing of it is shipped) ---------------------------

_CRF_TOKEN = re.compile(r"\w+|[^\w\s]")


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if not w[0].isalnum():
        return "p"
    return "X" if w.isupper() else "Xx" if w[0].isupper() else "x"


def _crf_tokens(text: str) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """Tokens of an article and their features: the word, its shape, whether it stands inside
    quotation marks, the lexicons' kinds, and what ``find_quotes(stance=True)`` made of it."""
    toks = [(m.start(), m.end()) for m in _CRF_TOKEN.finditer(text)]
    paragraphs = _quote_text._paragraphs(text)
    quoted = _quote_text._quotations(text, paragraphs)
    pred = q.find_quotes(text, stance=True)
    rule = [""] * len(toks)
    inside = [False] * len(toks)
    starts = [s for s, _ in toks]

    def mark(a: int, b: int, tag: str) -> None:
        for i in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
            if not rule[i]:
                rule[i] = tag

    for p in pred:
        mark(p.cue_start, p.cue_end, "Q")
        if p.speaker_start is not None and p.speaker_end is not None:
            mark(p.speaker_start, p.speaker_end, "S")
        mark(p.start, p.end, "C" if p.direct else "c")
    for a, b in quoted:
        for i in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
            inside[i] = True
    words = [text[s:e] for s, e in toks]
    feats = []
    for i, w in enumerate(words):
        lw = w.lower()
        f = [
            "w=" + lw,
            "s3=" + lw[-3:],
            "sh=" + _shape(w),
            "in=" + str(inside[i]),
            "r=" + rule[i],
            "lex="
            + (
                "sp"
                if lw in q.SPEECH_VERBS
                else "st"
                if lw in q.STANCE_VERBS
                else "th"
                if lw in q.THOUGHT_VERBS
                else ""
            ),
        ]
        if i == 0 or "\n" in text[toks[i - 1][1] : toks[i][0]]:
            f.append("para_start")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                f += [f"{d}w=" + words[j].lower(), f"{d}r=" + rule[j], f"{d}in=" + str(inside[j])]
            else:
                f.append(f"{d}=edge")
        feats.append(f)
    return toks, feats


def _crf_labels(toks: list[tuple[int, int]], gold: list[Gold]) -> list[str]:
    labels = ["O"] * len(toks)
    starts = [s for s, _ in toks]
    for g in gold:
        first = True
        for a, b in g.content:
            for i in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
                labels[i] = "B" if first else "I"
                first = False
        for a, b in g.source:
            for i in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)):
                if labels[i] == "O":
                    labels[i] = "S"
    return labels


def crf_figure(iterations: int = 150, limit: int | None = None) -> dict[str, Any]:
    """A CRF (python-crfsuite) trained on PolNeAR train over words and these rules' outputs, scored
    on dev's Contents as ``score`` scores the rules: what a tagger would add. Trained here, in a
    temporary file, and thrown away: PolNeAR has no licence to ship a model of it."""
    import tempfile

    import pycrfsuite

    train = load("train")[:limit] if limit else load("train")
    trainer = pycrfsuite.Trainer(verbose=False)
    for _name, text, gold in train:
        toks, feats = _crf_tokens(text)
        trainer.append(feats, _crf_labels(toks, gold))
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": iterations})
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "quotes.crfsuite")
        trainer.train(path)
        trained = time.perf_counter() - started
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        tp = n_pred = n_gold = dtp = d_pred = d_gold = 0
        htp = h_pred = 0  # the rules (stance=True), and the tagger's contents that no rule overlaps
        hdtp = hd_pred = 0  # the same, direct only (direct gold, direct predictions of either)
        rdtp = rd_pred = 0  # the rules (stance=True) alone, direct only, on the same articles
        for _name, text, gold in load("dev"):
            toks, feats = _crf_tokens(text)
            labels = tagger.tag(feats)
            spans: list[tuple[int, int]] = []
            open_span = False
            for (s, e), lab in zip(toks, labels, strict=True):
                if lab == "B" or (lab == "I" and not open_span):
                    spans.append((s, e))
                    open_span = True
                elif lab == "I":
                    spans[-1] = (spans[-1][0], e)
                else:
                    open_span = False
            pred = [
                q.Quote(None, None, None, "", s, s, text[s:e], s, e, is_direct(text, ((s, e),)))
                for s, e in spans
            ]
            rules = q.find_quotes(text, stance=True)
            both = rules + [p for p in pred if not any(r.start < p.end and r.end > p.start for r in rules)]
            htp += len(match(text, gold, both))
            h_pred += len(both)
            gd = [g for g in gold if g.direct]
            bd = [p for p in both if p.direct]
            hdtp += len(match(text, gd, bd))
            hd_pred += len(bd)
            rd = [r for r in rules if r.direct]
            rdtp += len(match(text, gd, rd))
            rd_pred += len(rd)
            tp += len(match(text, gold, pred))
            n_pred += len(pred)
            n_gold += len(gold)
            pd = [p for p in pred if p.direct]
            dtp += len(match(text, gd, pd))
            d_pred += len(pd)
            d_gold += len(gd)
        tagger.close()
    return {
        "train_articles": len(train),
        "iterations": iterations,
        "train_seconds": trained,
        "all": _prf(tp, n_pred, n_gold),
        "direct": _prf(dtp, d_pred, d_gold),
        "rules_and_tagger": _prf(htp, h_pred, n_gold),
        "rules_and_tagger_direct": _prf(hdtp, hd_pred, d_gold),
        "rules_direct": _prf(rdtp, rd_pred, d_gold),
    }

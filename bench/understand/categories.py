"""``categories``: filing articles into newsdesk's taxonomy (issue 17, part 3).

    .venv/bin/python -m bench.understand --parts categories [--data DIR] [--weights 1,3,10]

- **HuffPost, held-out half** (``categories/huffpost``, the half scripts/train_categories.py did not
  train on): the default model's accuracy and macro-F1 over the records whose HuffPost label maps
  cleanly (the target: accuracy >= 0.90), and over every mapped record; per-category precision,
  recall and F1; the most frequent confusions; accuracy of the confident answers. HuffPost gives a
  headline and a one-line description only, so this measures filing on very little text.
- **Sample corpus** (src/newsdesk/sample, truth.json): every article's title and paragraphs, its
  declared section hidden, against the category its section maps to.
- **Adaptation**: a ``SectionLearner`` given a desk's own articles with declared sections.
  On the sample corpus, each outlet in turn files its articles having learnt from the other
  outlets' (leave one outlet out). On HuffPost's held-out half, the desk is HuffPost itself, its
  declared sections mapped by ``from_section`` (so "U.S. News" and "Crime" are ``local``, which
  the default never answers): the learner is taught N of them and files a fixed remainder.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from bench._common import REPO, eval_data

SAMPLE = REPO / "src" / "newsdesk" / "sample"
#: Articles of the desk's own that the adaptation experiment teaches.
TAUGHT = (0, 100, 300, 1000, 2000)


@cache
def trainer() -> ModuleType:
    """scripts/train_categories.py: the HuffPost mapping and split live there, once."""
    path = REPO / "scripts" / "train_categories.py"
    spec = importlib.util.spec_from_file_location("train_categories", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def scores(pairs: list[tuple[str, str]], classes: list[str] | None = None) -> dict[str, Any]:
    """Accuracy, macro-F1 over ``classes`` (default: the true ones) and per-class P/R/F1 of
    (true, predicted) pairs."""
    classes = classes or sorted({t for t, _ in pairs})
    per: dict[str, dict[str, float]] = {}
    for c in classes:
        tp = sum(t == c and p == c for t, p in pairs)
        fp = sum(t != c and p == c for t, p in pairs)
        fn = sum(t == c and p != c for t, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[c] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    hits = sum(t == p for t, p in pairs)
    return {
        "n": len(pairs),
        "accuracy": hits / len(pairs) if pairs else 0.0,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 0.0,
        "per_class": per,
    }


def _confusions(pairs: list[tuple[str, str]], top: int = 8) -> list[tuple[str, str, int]]:
    wrong = Counter((t, p) for t, p in pairs if t != p)
    return [(t, p, n) for (t, p), n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def run_huffpost(root: Path, weights: tuple[float, ...]) -> dict[str, Any]:
    from newsdesk.understand import categories

    train_mod = trainer()
    records = train_mod.load(root)
    _, held = train_mod.halves(records)
    model = categories.default_model()
    predicted = {r.link: model.predict(r.title, r.text) for r in held}
    clean = [(r.category, predicted[r.link].category) for r in held if r.clean]
    every = [(r.category, predicted[r.link].category) for r in held]
    clean_classes = sorted({train_mod.HUFFPOST_LABELS[label] for label in train_mod.CLEAN_LABELS})
    confident = {}
    for threshold in (0.5, 0.7, 0.9):
        sure = [r for r in held if r.clean and predicted[r.link].confidence >= threshold]
        confident[str(threshold)] = {
            "share": len(sure) / max(len(clean), 1),
            "accuracy": sum(predicted[r.link].category == r.category for r in sure) / max(len(sure), 1),
        }
    out: dict[str, Any] = {
        "held_out": len(held),
        "clean": scores(clean, clean_classes),
        "mapped": scores(every),
        "confusions": _confusions(clean),
        "confident": confident,
        "labels": {label: cat for label, cat in sorted(train_mod.HUFFPOST_LABELS.items())},
    }
    # adaptation: the desk is HuffPost, its sections mapped as a desk maps declared sections
    desk = [(r, categories.from_section(r.label, None)) for r in records if r.held_out]
    desk = [(r, c) for r, c in desk if c is not None]
    desk.sort(key=lambda rc: hashlib.sha256(("taught:" + rc[0].link).encode()).hexdigest())
    pool, test = desk[: max(TAUGHT)], desk[max(TAUGHT) :]
    curves: dict[str, dict[int, float]] = {}
    for weight in weights:
        learner = categories.SectionLearner(model, weight=weight)
        curve: dict[int, float] = {}
        taught = 0
        for n in TAUGHT:
            for r, c in pool[taught:n]:
                learner.learn(r.title, r.text, c)
            taught = n
            curve[n] = sum(learner.classify(r.title, r.text).category == c for r, c in test) / len(test)
        curves[str(weight)] = curve
    out["adaptation"] = {
        "evaluated": len(test),
        "local_share": sum(c == "local" for _, c in test) / len(test),
        "accuracy": curves,
    }
    return out


def sample_articles(sample_dir: Path = SAMPLE) -> list[dict[str, Any]]:
    """The sample corpus's articles: outlet, title, text (its paragraphs) and the category its
    declared section maps to, in order of id."""
    from newsdesk.understand import categories

    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    out = []
    for aid, a in sorted(truth["articles"].items()):
        out.append(
            {
                "id": aid,
                "outlet": a["outlet"],
                "title": a["title"],
                "text": "\n".join(a["paragraphs"]),
                "category": categories.from_section(a["section"], None),
            }
        )
    return out


def run_sample(weights: tuple[float, ...]) -> dict[str, Any]:
    from newsdesk.understand import categories

    started = time.perf_counter()
    categories.default_model()
    load_seconds = time.perf_counter() - started
    arts = [a for a in sample_articles() if a["category"]]
    started = time.perf_counter()
    for _ in range(10):
        for a in arts:
            categories.classify(a["title"], a["text"])
    per_second = 10 * len(arts) / (time.perf_counter() - started)
    default = [(a["category"], categories.classify(a["title"], a["text"]).category) for a in arts]
    out: dict[str, Any] = {
        "default": scores(default),
        "confusions": _confusions(default),
        "load_seconds": load_seconds,
        "classify_per_second": per_second,
    }
    outlets = sorted({a["outlet"] for a in arts})
    adapted: dict[str, float] = {}
    for weight in weights:
        pairs = []
        for outlet in outlets:
            learner = categories.SectionLearner(weight=weight)
            for a in arts:
                if a["outlet"] != outlet:
                    learner.learn(a["title"], a["text"], a["category"])
            pairs += [
                (a["category"], learner.classify(a["title"], a["text"]).category)
                for a in arts
                if a["outlet"] == outlet
            ]
        adapted[str(weight)] = scores(pairs)["accuracy"]
    out["leave_one_outlet_out"] = adapted
    out["outlets"] = len(outlets)
    return out


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench.understand --parts categories")
    ap.add_argument(
        "--data", type=Path, help="Evaluation data folder (default: NEWSDESK_EVAL_DATA or ../shared/data)."
    )
    ap.add_argument(
        "--weights", default="1,3,10", help="SectionLearner weights to compare (comma-separated)."
    )
    args, _ = ap.parse_known_args(argv or [])
    root = args.data or eval_data()
    weights = tuple(float(w) for w in args.weights.split(","))
    from newsdesk.understand import categories

    out: dict[str, Any] = {"default_weight": categories.SectionLearner.WEIGHT, "sample": run_sample(weights)}
    if (root / trainer().DATA_FILE).is_file():
        out["huffpost"] = run_huffpost(root, weights)
    else:
        out["huffpost"] = {"missing": str(root / trainer().DATA_FILE)}
    return out


def _per_class_table(per: dict[str, dict[str, float]]) -> list[str]:
    lines = ["| category | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for c, v in per.items():
        lines.append(
            f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {int(v['support'])} |"
        )
    return lines


def report(result: dict[str, Any]) -> str:
    lines = ["## categories", ""]
    hp = result["huffpost"]
    if "missing" in hp:
        lines += [f"HuffPost: no data at {hp['missing']}", ""]
    else:
        c, m = hp["clean"], hp["mapped"]
        lines += [
            "HuffPost held-out half (headline + one-line description only; never trained on):",
            f"- cleanly mapped labels: {c['n']} records, accuracy {c['accuracy']:.3f}, macro-F1 {c['macro_f1']:.3f} (target: accuracy >= 0.90)",
            f"- every mapped label (with the editorial mappings): {m['n']} records, accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}",
            "- the confident answers: "
            + "; ".join(
                f"confidence >= {t}: {v['share']:.1%} of the clean records, accuracy {v['accuracy']:.3f}"
                for t, v in hp["confident"].items()
            ),
            "",
            *_per_class_table(c["per_class"]),
            "",
            "Most frequent confusions (true -> filed): "
            + "; ".join(f"{t} -> {p} {n}" for t, p, n in hp["confusions"]),
            "",
        ]
        ad = hp["adaptation"]
        lines += [
            f"Adaptation on HuffPost (its declared sections through from_section, so 'U.S. News' and 'Crime' "
            f"are local, {ad['local_share']:.1%} of the {ad['evaluated']} filed): accuracy after N taught articles",
            "",
            "| weight | " + " | ".join(f"N={n}" for n in TAUGHT) + " |",
            "|---|" + "---|" * len(TAUGHT),
        ]
        for weight, curve in ad["accuracy"].items():
            lines.append(f"| {weight} | " + " | ".join(f"{curve[n]:.3f}" for n in TAUGHT) + " |")
        lines.append("")
    s = result["sample"]
    d = s["default"]
    lines += [
        f"Sample corpus, declared sections hidden: {d['n']} articles, accuracy {d['accuracy']:.3f}, macro-F1 {d['macro_f1']:.3f} (default model)",
        "Confusions: " + ("; ".join(f"{t} -> {p} {n}" for t, p, n in s["confusions"]) or "none"),
        f"Leave one outlet out ({s['outlets']} outlets), learner taught the other outlets' articles: "
        + ", ".join(f"weight {w}: {a:.3f}" for w, a in s["leave_one_outlet_out"].items()),
        f"Speed: the model loads in {s['load_seconds']:.2f} s (first use in a process); "
        f"{s['classify_per_second']:,.0f} articles a second filed on one core",
        "",
    ]
    return "\n".join(lines)

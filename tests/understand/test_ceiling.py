"""bench/understand/ceiling.py chooses its settings inside the training half: the held-out half is
read once, by the chosen setting, never by the cross-validation."""

from __future__ import annotations

from typing import Any

import pytest
from bench.understand import ceiling
from bench.understand.categories import trainer

WORDS = {
    "POLITICS": "senate vote bill governor campaign",
    "SPORTS": "match goal league coach season",
    "ENTERTAINMENT": "film actor album premiere singer",
}


def records(n: int) -> list[Any]:
    record = trainer().Record
    out = []
    for i in range(n):
        label = sorted(WORDS)[i % len(WORDS)]
        words = WORDS[label].split()
        title = f"{words[i % 5]} {words[(i + 1) % 5]} story {i}"
        out.append(record(f"https://example.com/{i}", title, words[(i + 2) % 5], label, label.lower()))
    return out


def test_cross_validation_refuses_a_held_out_record() -> None:
    every = records(60)
    assert any(r.held_out for r in every) and any(not r.held_out for r in every)
    with pytest.raises(ValueError, match="held-out"):
        ceiling.folds(every)


def test_cross_validation_reads_the_training_records_only() -> None:
    train = [r for r in records(200) if not r.held_out]
    seen: list[Any] = []

    def spy(setting: dict[str, Any], fit: Any) -> Any:
        seen.extend(fit)
        rows, transform = ceiling.tfidf(setting, fit)

        def spied(other: Any) -> Any:
            seen.extend(other)
            return transform(other)

        return rows, spied

    _, c, cv, listed = ceiling.cross_validate(train, spy, "svm", ceiling.QUICK["c"])
    assert seen and all(not r.held_out for r in seen)
    assert {r.link for r in seen} <= {r.link for r in train}
    assert c == ceiling.QUICK["c"][1][0] and len(listed) == 1
    assert cv["n"] == sum(r.clean for r in train)

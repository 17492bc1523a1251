"""Synthetic article pages for tests that need many distinct inputs (crash, idempotence)."""

from __future__ import annotations

import random
from pathlib import Path

_WORDS = (
    "council harbour bridge engineers ferry budget minister river storm market shares factory "
    "workers union strike league coach season match goals election voters survey museum "
    "festival hospital patients doctors school pupils teachers train station airport flights "
    "farmers harvest prices energy wind solar grid police court judge ruling company profits"
).split()


def article_page(i: int, rng: random.Random, *, extra: str = "") -> str:
    paras = []
    for p in range(6):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(25, 45))]
        paras.append(
            f"Report {i} paragraph {p}: "
            + " ".join(words).capitalize()
            + f", with {rng.randint(2, 999)} people."
        )
    section = ["world", "business", "sport", "technology"][i % 4]
    body = "".join(f"<p>{t}</p>" for t in paras) + extra
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Synthetic report number {i} on {rng.choice(_WORDS)}</title>
<link rel="canonical" href="https://synthetic.example/{section}/2026/03/{i:05d}-report">
<meta property="og:type" content="article"><meta property="article:section" content="{section}">
<meta property="article:published_time" content="2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00">
</head><body><nav><a href="/">Home</a></nav><article><h1>Synthetic report number {i}</h1>{body}</article>
<footer>Synthetic Example</footer></body></html>"""


def write_pages(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"page-{i:05d}.html"
        p.write_text(article_page(i, rng), encoding="utf-8")
        paths.append(p)
    return paths


def endless_page(n: int) -> bytes:
    """A page of ``n`` short paragraphs: extraction time grows about as n^1.7 (40,000 take several
    seconds, 200,000 about a minute), while the page stays small (about 25 bytes a paragraph)."""
    body = "".join(f"<p>Line {i} goes on.</p>" for i in range(n))
    return (
        '<!doctype html><html lang="en"><head><title>Endless page</title></head>'
        f"<body><article><h1>Endless page</h1>{body}</article></body></html>"
    ).encode()

"""Deterministic news-like prose for the generated pages, or sentences of the Wikinews articles."""

from __future__ import annotations

import csv
import itertools
import random
import re
from pathlib import Path

# -- text ------------------------------------------------------------------------------------------

_FUNCTION = (
    "the of and to a in that is was for on with as by at from it its has have had be been were are "
    "which but not this their after about more than over into also who would could will said says "
    "while when where they there some other all one two three new first last most many such only"
).split()
_CONTENT = (
    "government minister council report police officials company market election vote city country "
    "people year week month day plan budget court law health hospital school students workers union "
    "strike prices inflation bank rates energy oil gas power climate storm flood fire water river "
    "bridge road rail train airport flight border army troops talks deal agreement sanctions trade "
    "exports growth jobs unemployment taxes spending debt investors shares profits losses quarter "
    "results season match team coach players goal win defeat final league cup title record fans "
    "film music festival museum book author artist award show series audience study researchers "
    "scientists data evidence patients vaccine virus cases tests doctors nurses care families children "
    "women men residents community village region province capital parliament senate president mayor "
    "governor party leader campaign candidate supporters critics protest crowd statement spokesperson "
    "investigation charges trial judge jury lawyer prison sentence appeal ruling decision policy reform "
    "proposal bill measure committee hearing inquiry review agency department ministry service network "
    "system software platform users phone internet security attack hackers privacy technology satellite "
    "launch mission rocket space station island coast mountain forest farm crops drought harvest food "
    "supply shortage demand production factory plant site project construction housing rent property "
    "sale price cost value growth risk warning threat crisis emergency response aid relief support "
    "funding million billion percent increase decrease change rise fall level number figure share"
).split()
_VERBS = (
    "announced confirmed rejected approved reported warned argued claimed denied expected planned "
    "promised agreed refused launched opened closed raised cut increased reduced delayed welcomed "
    "criticised ordered signed won lost faced met visited discussed reviewed described"
).split()
_ADJ = (
    "new major local national international former senior public private early late final key "
    "strong weak large small growing recent long short high low economic political financial legal"
).split()
_SYL = (
    "ka lo ri ben tor mar sel vin da ne ro sa li mo ga te ha ru del fin kor las mi no pe sto van ber".split()
)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYL) for _ in range(syllables)).capitalize()


class TextGen:
    """Deterministic news-like prose: Zipf-weighted words, made-up people and places, quotes."""

    def __init__(self, rng: random.Random, sentences: list[str] | None = None):
        self.rng = rng
        self.people = [f"{_name(rng, 2)} {_name(rng, rng.randint(2, 3))}" for _ in range(3000)]
        self.places = [_name(rng, rng.randint(2, 4)) for _ in range(800)]
        self.orgs = [
            f"{_name(rng, 2)} {rng.choice(['Group', 'Holdings', 'Institute', 'Party', 'Council', 'Bank'])}"
            for _ in range(400)
        ]
        # A long tail of rarer made-up content words, so that the vocabulary is large as in real news.
        self.rare = [_name(rng, rng.randint(2, 4)).lower() for _ in range(6000)]
        self.content = _CONTENT + self.rare
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.content))))
        self.sentences = sentences

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(_FUNCTION)
        if r < 0.55:
            return self.rng.choice(_ADJ)
        if r < 0.62:
            return self.rng.choice(_VERBS)
        return self.rng.choices(self.content, cum_weights=self.cum_weights)[0]

    def sentence(self) -> str:
        if self.sentences:
            return self.rng.choice(self.sentences)
        rng = self.rng
        n = rng.randint(8, 28)
        words = [self.word() for _ in range(n)]
        # Proper nouns in realistic places.
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(n)] = rng.choice([*self.places, *self.orgs])
        if rng.random() < 0.3:
            words.insert(rng.randrange(1, n), f"{rng.randint(2, 950)}")
        text = " ".join(words)
        if rng.random() < 0.15:
            return f'"{text[0].upper()}{text[1:]}," said {rng.choice(self.people)}, {rng.choice(_ADJ)} {rng.choice(_CONTENT)} official.'
        if rng.random() < 0.1:
            half = len(words) // 2
            return f"{' '.join(words[:half]).capitalize()}, {' '.join(words[half:])}."
        return f"{text[0].upper()}{text[1:]}."

    def paragraphs(self, target_words: int) -> list[str]:
        out: list[str] = []
        count = 0
        while count < target_words:
            para = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(para)
            count += len(para.split())
        return out

    def headline(self) -> str:
        rng = self.rng
        words = [rng.choice(self.places), rng.choice(_CONTENT), rng.choice(_VERBS)]
        words += [rng.choice(_FUNCTION), rng.choice(_ADJ), rng.choice(_CONTENT)]
        if rng.random() < 0.5:
            words += ["after", rng.choice(_CONTENT), rng.choice(_CONTENT)]
        text = " ".join(words)
        return text[0].upper() + text[1:]


def wikinews_sentences(folder: Path) -> list[str]:
    """Sentences of the Wikinews articles (CSV: url, date, title, text), or [] when absent."""
    out: list[str] = []
    csv.field_size_limit(10**8)
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for para in (row.get("text") or "").split("\n"):
                    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", para.strip()):
                        if 6 <= len(s.split()) <= 60:
                            out.append(s)
    return out

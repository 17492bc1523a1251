"""A reader of GUM's entity and coreference files (``entities/gum/{train,dev}/*.conll``).

The format (see the folder's NOTICE.md): ``# begin document NAME``, then one token a line,
``index<TAB>token<TAB>brackets``, where ``(type-ID[-Wikipedia_name]`` opens a mention,
``type-ID[-Wikipedia_name])`` closes one and ``(type-ID)`` is a one-token mention (``_``: none);
the same ID within a document is one entity. There are no sentence breaks and no raw text.

What this module makes of it, for the training script and the evaluation alike:

- **text**: the tokens joined by single spaces, except before closing punctuation and clitics
  (``,`` ``.`` ``'s`` ``n't`` ``)`` ...) and after opening ones, quotes paired by parity: a plain
  text our tokeniser reads as any article's, with each token's character offsets kept;
- **mentions**: every mention with its type, entity ID, Wikipedia name and character span;
- **named mentions** of people, organisations and places (the NER score's truth), by the news
  convention of the maximal *name* span: within a mention, the tokens that belong to it directly
  (not to a nested mention of another entity), their last run of capitalised words (joined by
  ``of``, ``and``, ``&``, ``de``, ``-``, ``.``), less leading titles (``President``, ``Dr.``) and
  determiners. "interviewee David Titley" gives "David Titley"; "Yonhap news agency" gives
  "Yonhap"; "the President of France" gives no name (France is its own, nested, place mention);
  "the agency" gives none. A run that is a single sentence-initial word seen lower-case elsewhere
  in the data ("Police said") is no name. GUM has no part-of-speech column here, hence these rules.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: GUM's types of the NER score, as newsdesk names them.
NER_TYPES = {"person": "person", "organization": "organisation", "place": "place"}

_BRACKET = re.compile(
    r"\(([a-z]+)-(\d+)(?:-([^()]*?))?\)|\(([a-z]+)-(\d+)(?:-([^()]*?))?(?=\(|$)|([a-z]+)-(\d+)(?:-[^()]*?)?\)"
)

_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "}", "%", "...", "n't", "’s", "'s"}
_CLITICS = re.compile(r"^(?:['’](?:s|ve|re|ll|d|m)|n['’]t)$", re.IGNORECASE)
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}
_QUOTES = {'"', "'"}

_TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. sir president senator sen. sen governor gov. gov "
    "minister chancellor premier king queen prince princess pope judge justice general gen. "
    "colonel col. captain capt. lt. lieutenant sergeant sgt. rep. representative mayor secretary "
    "chairman chairwoman ceo director professor rev. reverend father sister brother "
    "ambassador commissioner chief officer detective inspector coach interviewee".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your i you we he she they it me us him "
    "them who whom one someone everyone".split()
)
_JOINERS = frozenset({"of", "and", "&", "de", "-", ".", "for", "the", "du", "von", "van", "la", "al"})


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One mention of GUM: its type (GUM's), entity ID, Wikipedia name and character span."""

    type: str
    entity: int
    wiki: str | None
    start: int
    end: int
    #: The span of its name (see the module's docstring), None for a nominal or pronoun.
    name: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Document:
    """One GUM document: its reconstructed text, token offsets and mentions."""

    name: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    mentions: tuple[GoldMention, ...]

    def named(self) -> list[tuple[int, int, str]]:
        """The named person/organisation/place mentions: ``(start, end, newsdesk type)``, distinct."""
        out = {
            (m.name[0], m.name[1], NER_TYPES[m.type]) for m in self.mentions if m.name and m.type in NER_TYPES
        }
        return sorted(out)


def _parse(lines: list[str]) -> tuple[str, list[str], list[tuple[str, int, str | None, int, int]]]:
    """Tokens and mentions (type, id, wiki, first token, last token) of one document's lines."""
    name = lines[0].removeprefix("# begin document").strip()
    tokens: list[str] = []
    spans: list[tuple[str, int, str | None, int, int]] = []
    stack: dict[tuple[str, int], list[tuple[int, str | None]]] = {}
    for line in lines[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        _, token, brackets = line.split("\t")[:3]
        i = len(tokens)
        tokens.append(token)
        if brackets == "_":
            continue
        for m in _BRACKET.finditer(brackets):
            if m.group(1):  # (type-ID...) on one token
                spans.append((m.group(1), int(m.group(2)), m.group(3) or None, i, i))
            elif m.group(4):
                stack.setdefault((m.group(4), int(m.group(5))), []).append((i, m.group(6) or None))
            else:
                opened = stack[(m.group(7), int(m.group(8)))].pop()
                spans.append((m.group(7), int(m.group(8)), opened[1], opened[0], i))
    if any(stack.values()):
        raise ValueError(f"{name}: mentions left open: {stack}")
    return name, tokens, spans


def detokenise(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens as plain text, and each token's character span in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    glue = True  # no space before the next token
    open_quote = {q: False for q in _QUOTES}
    for tok in tokens:
        closing = tok in _NO_SPACE_BEFORE or bool(_CLITICS.match(tok))
        if tok in _QUOTES:
            closing = open_quote[tok]
            open_quote[tok] = not open_quote[tok]
        if not glue and not closing:
            parts.append(" ")
            pos += 1
        parts.append(tok)
        offsets.append((pos, pos + len(tok)))
        pos += len(tok)
        glue = tok in _NO_SPACE_AFTER or (tok in _QUOTES and open_quote[tok]) or tok == "-"
        if tok == "-" and parts[-2:-1] == [" "]:  # quasi-state: hyphens glue both ways
            parts.pop(-2)
            pos -= 1
            offsets[-1] = (offsets[-1][0] - 1, offsets[-1][1] - 1)
    return "".join(parts), offsets


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() and any(c.isalpha() for c in tok))


def _name_span(
    tokens: list[str],
    first: int,
    last: int,
    inner: set[int],
    sentence_start: set[int],
    lower_seen: set[str],
) -> tuple[int, int] | None:
    """The tokens ``[i, j]`` of a mention's name, by the rules of the module's docstring."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i in range(first, last + 1):
        tok = tokens[i]
        if (
            (i not in inner and _capitalised(tok))
            or (
                run
                and i not in inner
                and tok.lower() in _JOINERS
                and i + 1 <= last
                and i + 1 not in inner
                and (_capitalised(tokens[i + 1]) or (tok == "-" and tokens[i + 1][:1].isalnum()))
            )
            or (run and i not in inner and tokens[i - 1] == "-" and tok[:1].isalnum())
        ):
            run.append(i)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    while runs:
        run = runs.pop()
        while run and (tokens[run[0]].lower() in _TITLES or tokens[run[0]].lower() in _DETERMINERS):
            run = run[1:]
        while run and tokens[run[-1]].lower() in _JOINERS and not _capitalised(tokens[run[-1]]):
            run = run[:-1]
        if not run:
            continue
        if len(run) == 1 and run[0] in sentence_start and tokens[run[0]].lower() in lower_seen:
            continue
        return run[0], run[-1]
    return None


_SENTENCE_END = {".", "?", "!", '"', "'", ")"}


def read_documents(folder: Path, lower_seen: set[str] | None = None) -> list[Document]:
    """Every document of the ``*.conll`` files in ``folder``, in order of file name.

    ``lower_seen``: words seen lower-case (not sentence-initially) in the data, which tells a
    capitalised first word from a name; by default the words of ``folder`` itself."""
    parsed = []
    for path in sorted(folder.glob("*.conll")):
        lines = path.read_text(encoding="utf-8").splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("# begin document")]
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
            parsed.append(_parse(lines[a:b]))
    if lower_seen is None:
        lower_seen = {t for _, toks, _ in parsed for t in toks if t.islower()}
    docs = []
    for name, tokens, spans in parsed:
        text, offsets = detokenise(tokens)
        sentence_start = {0} | {
            i for i in range(1, len(tokens)) if tokens[i - 1] in _SENTENCE_END and tokens[i - 1] != ")"
        }
        mentions = []
        for kind, entity, wiki, first, last in spans:
            inner = {
                i
                for k2, e2, _, f2, l2 in spans
                if e2 != entity and first <= f2 and l2 <= last and (f2, l2) != (first, last)
                for i in range(f2, l2 + 1)
            }
            name_span = None
            if kind in NER_TYPES:
                found = _name_span(tokens, first, last, inner, sentence_start, lower_seen)
                if found:
                    name_span = (offsets[found[0]][0], offsets[found[1]][1])
            mentions.append(GoldMention(kind, entity, wiki, offsets[first][0], offsets[last][1], name_span))
        docs.append(Document(name, text, tuple(offsets), tuple(mentions)))
    return docs


def lower_words(*folders: Path) -> set[str]:
    """The words seen lower-case in the ``*.conll`` files of ``folders``."""
    out: set[str] = set()
    for folder in folders:
        for path in sorted(folder.glob("*.conll")):
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 2 and parts[1].islower():
                    out.add(parts[1])
    return out


def type_counts(docs: list[Document]) -> Counter[str]:
    """How many named mentions of each type the documents hold."""
    return Counter(t for d in docs for _, _, t in d.named())

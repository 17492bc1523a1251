"""Who speaks, as the text has it: the noun phrase just before a cue or just after it, and a
sentence's subject, each as a span of the text (a pronoun stays a pronoun: ``speakers.py`` resolves
it later). Apart from the rules (``quotes.py``, ``_quote_patterns.py``), which find the cue and then
ask here for the words beside it, so that what a speaker's mention may hold is read in one place.
"""

from __future__ import annotations

import re

from ._cues import _ABBREVIATIONS, _BETWEEN, _NOT_NAME, _STOP, PRONOUNS
from ._quote_text import _tokens

#: A time between a speaker and the cue ("Feinstein last week said", "Ryan, ..., on Tuesday called").
_WHEN_BEFORE = re.compile(
    r"\s+(?:(?:on|last|this|earlier|late|early|in)\s+)?(?:(?:this|last|next)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|morning|"
    r"afternoon|evening|weekend|yesterday|today|tonight)(?:\s+(?:morning|afternoon|evening|night))?"
    r",?\s*(?:(?:also|again|then|later|publicly|effectively)\s+)*$"
)
#: "Pence went on to say": the speaker is before it.
_GOES_ON_TO = re.compile(r"\s+(?:went|goes|go|has gone|had gone|then went)\s+on\s+to\s*$")
_NAME_FIRST = re.compile(r"\s*((?:[A-Z][\w.’'-]*\s+(?:of\s+|from\s+)?){0,4}[A-Z][\w.’'-]*),")


#: A name in apposition after a title ("The lawyer, Ana Ruiz, said"): two to four capitalised words.
_APPOSED_NAME = re.compile(r"\s*(?:[A-Z][\w.’'-]*\s+){1,3}[A-Z][\w.’'-]*")


_DASHES = frozenset({"—", "–", "--"})


def _without_aside(
    text: str, toks: list[tuple[int, int]], opens: frozenset[str], closes: frozenset[str]
) -> list[tuple[int, int]]:
    """``toks`` without the aside they end with, between an opening and a closing mark ("Sen. Ted
    Cruz (R-Tex.) said", "Tom Berg — a ferry captain from the port — says"): it belongs to the
    name before it."""
    if toks and text[toks[-1][0] : toks[-1][1]] in closes:
        opening = max((i for i, (s, e) in enumerate(toks[:-1]) if text[s:e] in opens), default=-1)
        if opening > 0:
            toks = toks[:opening]
            while toks and text[toks[-1][0] : toks[-1][1]].lower() in _BETWEEN:
                toks.pop()
    return toks


_OPEN_PARENTHESIS, _CLOSE_PARENTHESIS = frozenset("("), frozenset(")")


def _without_parenthesis(text: str, toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return _without_aside(text, toks, _OPEN_PARENTHESIS, _CLOSE_PARENTHESIS)


def _speaker_before(text: str, lo: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase that ends just before the cue (adverbs between skipped), from ``lo`` on."""
    when = _WHEN_BEFORE.search(text, lo, cue_start) or _GOES_ON_TO.search(text, lo, cue_start)
    if when and "," in text[when.start() : when.end()] and "," in text[lo : when.start()]:
        when = None  # "Berg, in a statement on Thursday, said": the time ends an apposition
    toks = _tokens(text, lo, when.start() if when else cue_start)
    while toks and text[toks[-1][0] : toks[-1][1]].lower() in _BETWEEN:
        toks.pop()
    toks = _without_parenthesis(text, _without_aside(text, toks, _DASHES, _DASHES))
    if toks and text[toks[-1][0] : toks[-1][1]].lower() in {"who", "which"}:
        # "said Mr. Ekovich, who noted that ...": the relative pronoun speaks (resolve_speaker
        # reads back to its antecedent)
        return toks[-1]
    if toks and text[toks[-1][0] : toks[-1][1]] == ",":
        # a name at the start and its apposition: "Cory James, 22, of Flint, Mich., said"
        named = _NAME_FIRST.match(text, lo, cue_start)
        if named and text[named.start(1) : named.end(1)].split()[0] not in _NOT_NAME:
            return named.span(1)
        # an apposition: "John Smith, a spokesman for the council, said"
        toks.pop()
        j = len(toks) - 1
        while j >= 0 and text[toks[j][0] : toks[j][1]] not in {",", "(", "—", "–"}:
            j -= 1
        if j <= 0:
            return None
        if _APPOSED_NAME.fullmatch(text, toks[j][1], toks[-1][1]) and re.search(
            r"\b[a-z]", text[toks[0][0] : toks[j][0]]
        ):
            # a title, then the name: "Tessaline's chief executive, Marguerite Onslow, said"
            return toks[j + 1][0], toks[-1][1]
        toks = toks[:j]
        # "Sen. Ana Ruiz (D-Kestrel), chair of the harbour committee, said"
        toks = _without_parenthesis(text, toks)
    chosen: list[tuple[int, int]] = []
    for s, e in reversed(toks):
        word = text[s:e]
        if not (word[0].isalnum() or word in {"’s", "'s", "&", "%"}) or word.lower() in _STOP:
            break
        if word in {"-", "–"}:
            break
        chosen.append((s, e))
        if len(chosen) >= 10:
            break
    if not chosen:
        return None
    chosen.reverse()
    first = text[chosen[0][0] : chosen[0][1]]
    if len(chosen) == 10 or (first[0].islower() and first.lower() not in PRONOUNS and len(chosen) > 7):
        # a long clause rather than a noun phrase: keep its last capitalised run, if any
        caps = []
        for s, e in reversed(chosen):
            if text[s].isupper():
                caps.append((s, e))
            elif caps:
                break
        if not caps:
            return None
        chosen = list(reversed(caps))
    return chosen[0][0], chosen[-1][1]


def _speaker_after(text: str, cue_end: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase right after a cue ("said Smith", "according to the minister")."""
    toks = _tokens(text, cue_end, hi)
    chosen: list[tuple[int, int]] = []
    named_of = False  # inside "of the ..." with capitalised words: an organisation's name
    for i, (s, e) in enumerate(toks):
        word = text[s:e]
        within = (
            named_of
            and word == "and"
            and text[chosen[-1][0]].isupper()
            and i + 1 < len(toks)
            and text[toks[i + 1][0]].isupper()
        )  # "of the Harbour and Dock Workers' Union": one name, not two speakers
        if not within and (
            not (word[0].isalnum() or word in {"’s", "'s", "&"}) or (chosen and word.lower() in _STOP)
        ):
            break
        if word.lower() in {"on", "in", "at", "during", "last", "this", "yesterday", "today"} and chosen:
            break
        chosen.append((s, e))
        if word == "of" and len(chosen) > 1:
            named_of = True
        if len(chosen) >= (12 if named_of else 8):
            break
    if not chosen:
        return None
    end = chosen[-1][1]
    while end > chosen[0][0] and text[end - 1] in ".’'":
        if text[end - 1] == "." and text[chosen[-1][0] : end - 1].lower() in _ABBREVIATIONS:
            break
        end -= 1
    return chosen[0][0], end


_OPENING = frozenset(
    """in on at back after before earlier later during since when while last this but and then
    still meanwhile however also yet so now today yesterday just as with for despite amid
    although though because if until by from under over following unlike like""".split()
)
_DETERMINERS = frozenset("the a an his her their its our my your this that these those".split())


def _subject(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The subject of a sentence, roughly (for ", saying ..."): its first name, pronoun or
    determiner and noun, after an opening adverbial ("Back in 1999, Mr. Trump ...")."""
    toks = _tokens(text, s, e)
    if toks and text[toks[0][0] : toks[0][1]].lower() in _OPENING:
        comma = next((i for i, (ts, te) in enumerate(toks[:10]) if text[ts:te] == ","), None)
        toks = toks[comma + 1 :] if comma is not None else toks[1:]
    chosen: list[tuple[int, int]] = []
    for ts, te in toks:
        word = text[ts:te]
        if not chosen:
            if word.lower() in PRONOUNS - {"it", "you"}:
                return ts, te
            if word.lower() in _DETERMINERS - {"that", "this"}:
                chosen.append((ts, te))
                continue
            if not word[0].isupper() or word in _NOT_NAME:
                return None
            chosen.append((ts, te))
            continue
        if word[0].isupper() or word in {"’s", "'s", "."}:
            chosen.append((ts, te))
        elif (
            len(chosen) == 1
            and text[chosen[0][0] : chosen[0][1]].lower() in _DETERMINERS
            and word[0].isalpha()
        ):
            chosen.append((ts, te))
            break
        else:
            break
        if len(chosen) >= 6:
            break
    if len(chosen) < 2 and chosen and text[chosen[0][0] : chosen[0][1]].lower() in _DETERMINERS:
        return None
    return (chosen[0][0], chosen[-1][1]) if chosen else None

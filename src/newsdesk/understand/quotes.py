"""Who said what: quotations and reported speech in an article's plain text, with their speakers.

``find_quotes(text)`` returns one ``Quote`` per attribution it recognises, in order of the text:
the content (what was said), the cue (the words that mark it as said: "said", "according to",
"told reporters") and the speaker's mention as it stands in the text ("Smith", "he", "the
minister"), each with its offsets, so that ``text[q.start:q.end] == q.text``. It reads the text as
newsdesk stores it (paragraphs separated by blank lines) with regular expressions and small
lexicons (``_cues.py``, ``_quote_patterns.py``): no model, no parse, one to two million characters a
second.

The forms, each the way an editor would name it:

- **direct quotes** (``direct=True``) within quotation marks (“ ” " " « » „ “, and ``''`` as some
  newspapers' plain text writes them), attributed by a cue after the closing mark (“…,” she said /
  “…,” said Smith / “…,” Jane Smith, the mayor, said / “….” The minister added.) or before the
  opening one (Smith said: “…” / He added, “…”; the cue may end the paragraph before). A
  quotation interrupted by its cue (“A,” she said. “B.” / “A,” she said, “b.”) is ONE attribution
  whose span runs from the first mark to the last, the cue inside it (as PolNeAR annotates it);
  a paragraph of quotation right after an attributed one, without a cue of its own, is the same
  speaker going on (so is one after a paragraph of reported speech, and '“A,” he said, adding:
  “B.”' is two attributions of one speaker). A quotation left open at the end of a paragraph goes
  on in the next paragraph if that opens with a mark (the newspaper convention). The cue may also
  stand apart: in a sentence of its own before the quotation (Smith said in a statement. “…”),
  after a few words that go on from it (“…” in the hall, he said.), as any verb in the past ending
  the clause (“…,” the editorial read.), or as a dash and a name signing it (“…” ― Jane Smith, a
  nurse). A whole quotation after a colon is what the words before it name (The mayor shot back:
  “…” / More from Ana Ruiz: “…”), and after a participle of saying (…, saying, “…” / As Smith
  put it, “…”). A mistyped closing mark (“…,“ said Smith) closes its quotation, and three
  apostrophes are a single quote inside a double one. Marks without a cue beside them (the
  so-called “reform”, a title, the radio show “Harbour Talk,” before the sentence's own cue) are
  not quotes;
- **partial quotes**: a quoted fragment inside reported speech (Smith called it “a disgrace”; she
  said the plan was “dead on arrival”; he referred to the plan as “a gift”): the content is the
  clause, ``direct`` because it begins or ends with the quoted words (a content that stops just
  short of the closing mark takes it);
- **indirect speech** (``direct=False``): SPEAKER CUE [that] CONTENT (Smith said that …, she told
  reporters …, the minister warned/argued/claimed/insisted/denied that …, officials say …; X did
  this and said …), CONTENT, SPEAKER CUE / CONTENT, CUE SPEAKER (a clause, then a short cue ending
  the sentence), CONTENT, SPEAKER CUE, CONTENT (in the middle), according to SPEAKER, CONTENT /
  CONTENT, according to SPEAKER, ``, saying/adding/arguing …`` after a clause (or a quotation)
  whose subject speaks, a second clause with its own cue (…, but critics say …), a question put
  (Asked whether …, Smith said …: the question's speaker is its asker, when named), and a speaker
  and a colon opening a paragraph (a headline "Kasich: …", a transcript "CLINTON: …", an
  interview's "Q:" and "A:"), "as SPEAKER put it", "as first reported by SPEAKER", "in SPEAKER's
  words", "SPEAKER's claim (warning, promise ...) that …", "SPEAKER made it clear that …", ", who
  said …" after a quotation's speaker, "X, who said A, said B", "X, citing A, said B", "declined
  to comment" and "refused to say whether …", a poll or a survey as the source ("In a CBS News poll
  released Monday, …", "… in national polls"), a list of cues after one speaker (X defended A,
  mocked B), "issued a statement saying …", "pointed out …" and a headline in title case
  ("Harbour Master Says The Ferry Will Run …"). Verbs of thought, knowledge and
  finding (believe, think, concluded, found, showed) count only with an explicit "that"; a verb of
  stance counts without ``stance`` when quoted words follow it (Merkel condemned “such a murderous
  attack”);
- with ``stance=True``, also the positions, beliefs and findings reported as a source's (X accused
  Y of …, urged, endorsed, wants, thinks, a poll shows …) and perspectives no one is named for (X
  seemed to …, is expected to, reportedly): attributions (PolNeAR counts them), but not quotes, so
  not by default.

The speaker is the noun phrase beside the cue, kept as written (a pronoun stays a pronoun:
``speakers.resolve_speaker`` maps "he", "she" or "the senator" to the nearest full name before it when that
is clear). The lexicons are English; French, German and Spanish get their direct quotes with a few
cues each (``OTHER_CUES``); another language gets nothing rather than English guesses.

Measured on PolNeAR v1.0 (``python -m bench.understand --parts quotes``; bench/RESULTS.md,
"Understand: quotes"): precise (about 0.9 of what it finds is annotated) but far from complete on
indirect attributions, whose cues are a long tail of verbs and nouns. The lexicons are general
English, written by hand; PolNeAR only measured which rules to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ._cues import (
    _ABBREVIATED,
    _DECLINED,
    _GOING_ON,
    _MARK_CHARS,
    _NAMED_THINGS,
    _NOT_BEFORE_CUE,
    _NOT_NAME,
    _NOUN_FIRST,
    _QUOTED_WORDS,
    _SILENCE,
    _STANCE_PARTICIPLES,
    NAMING_VERBS,
    PARTICIPLES,
    PRONOUNS,
    QUOTING_VERBS,
    SPEECH_VERBS,
    STANCE_VERBS,
    THOUGHT_VERBS,
)
from ._quote_patterns import (
    _ACCORDING,
    _ADJUNCT,
    _APPOSITION,
    _CUE_WORDS,
    _LISTED_CUE,
    _LOWER_CLAUSE,
    _MAIN_CUE,
    _NAME_CLAUSE,
    _NP_CLAUSE,
    _ONLY_BEFORE_THAT,
    _OTHER_TAIL,
    _SPEAKER_AFTER,
    _TAIL,
    _TAIL_END,
    _TELLS,
    _TITLE_NAME,
    _TOLD_THAT,
    _WHEN_AFTER,
    _WHEN_THAT,
    _WRITTEN_SAYING,
    OTHER_CUES,
    _cue_after_quote,
    _cue_before_quote,
    _cue_ending_sentence,
    _cue_sentence,
    _extend_cue,
    _looks_reporting,
    _second_clause,
)
from ._quote_speakers import _GOES_ON_TO, _NAME_FIRST, _OPENING, _speaker_after, _speaker_before, _subject
from ._quote_text import _clause_end, _paragraphs, _quotations, _sentence_of, _sentences, _tokens

__all__ = ["Quote", "find_quotes"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: who (``speaker_*``), how (``cue*``), what (``text``, ``start``, ``end``).

    Offsets are into the text given to ``find_quotes``. ``speaker_mention`` is None (and its offsets
    too) when no speaker was found. A paragraph of quotation going on from the one before, without
    a cue of its own, carries that one's speaker and cue (their offsets point back to them); a
    quotation interrupted by its cue holds the cue inside its span. ``direct``: the content is, or
    begins or ends with, words within quotation marks (a partial quote is direct)."""

    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_start: int
    cue_end: int
    text: str
    start: int
    end: int
    direct: bool


# -- the patterns that make a Quote (the others: _quote_patterns.py) ----------------------------------


def _quote(
    text: str, speaker: tuple[int, int] | None, cue: tuple[int, int], content: tuple[int, int], direct: bool
) -> Quote | None:
    s, e = content
    while s < e and text[s] in " ,;:—–-\n":
        s += 1
    while e > s and text[e - 1] in " ,;:—–-\n":
        e -= 1
    if not re.search(r"\w", text[s:e]):
        return None
    ss, se = speaker if speaker is not None else (None, None)
    mention = text[ss:se] if speaker is not None else None
    if not direct:
        direct = (
            text[s] in _MARK_CHARS
            or text[e - 1] in _MARK_CHARS
            or text[s:e].rstrip(".,!?")[-1:] in _MARK_CHARS
        )
    return Quote(mention, ss, se, text[cue[0] : cue[1]], cue[0], cue[1], text[s:e], s, e, direct)


def _indirect(
    text: str, s: int, e: int, subject: tuple[int, int] | None, stance: bool = False
) -> Iterator[Quote]:
    """Reported speech in one sentence (no direct quotation attributed in it)."""
    sentence = text[s:e]
    # according to SPEAKER, CONTENT  /  CONTENT, according to SPEAKER
    acc = _ACCORDING.search(text, s, e)
    if acc:
        cue = (acc.start(), acc.end())
        after_comma = re.compile(r",\s").search(text, acc.end(), e)
        if acc.start() - s <= 2:
            if after_comma:
                speaker = _speaker_after(text, acc.end(), after_comma.start())
                q = _quote(text, speaker, cue, (after_comma.end(), e), False)
                if q:
                    yield q
                return
        else:
            hi = after_comma.start() if after_comma else e
            speaker = _speaker_after(text, acc.end(), hi)
            content_end = acc.start()
            # "CONTENT, according to X, CONTENT" keeps both sides
            if after_comma and len(_tokens(text, after_comma.end(), e)) > 3:
                q = _quote(text, speaker, cue, (s, e), False)
            else:
                q = _quote(text, speaker, cue, (s, content_end), False)
            if q:
                yield q
            return
    words = list(re.finditer(r"[\w’'-]+", sentence))
    # "…, he said.": a speaker and a cue ending the sentence take it before any verb of thought in it
    tail = _TAIL_END.search(text, s, e)
    tail_at = s + sentence.rfind(",", 0, tail.start() - s + 1) if tail else s
    for k, w in enumerate(words):
        word = w.group()
        if not word.islower():
            continue
        ws, we = s + w.start(), s + w.end()
        nxt = words[k + 1].group().lower() if k + 1 < len(words) else ""
        pointed_out = word in {"pointed", "points", "point"} and nxt == "out"
        if pointed_out:
            # "Smith pointed out the flaw": the particle is part of the cue, and no "that" is needed
            we = s + words[k + 1].end()
            nxt = words[k + 2].group().lower() if k + 2 < len(words) else ""
        # "declined to comment", "refused to say whether ...": a statement that nothing is said
        silent = word in _DECLINED and _SILENCE.match(text, we, e) is not None
        is_speech = word in SPEECH_VERBS or silent or pointed_out
        is_thought = word in THOUGHT_VERBS and nxt == "that"
        # "Merkel condemned ''such a murderous attack''": a stance quoted is a quote
        quoting = (
            not stance
            and not is_speech
            and word in QUOTING_VERBS
            and (word.endswith(("ed", "s")) or (k > 0 and words[k - 1].group().lower() in PRONOUNS))
            and _QUOTED_WORDS.search(text, we, min(e, we + 60)) is not None
        )
        is_naming = word in NAMING_VERBS or (stance and word in STANCE_VERBS) or quoting
        before = text[s:ws]
        participle = word in PARTICIPLES or (stance and word in _STANCE_PARTICIPLES)
        # "The union issued a statement saying …": a written statement's participle, without a comma
        written = participle and _WRITTEN_SAYING.search(before) is not None
        if participle and (written or re.search(r",[”\"’]?\s*$", before)) and subject is not None:
            # "Salceda, citing State Department data, said that …": the participle, then the main cue
            main = _MAIN_CUE.search(text, we, e)
            second = _second_clause(text, we, main.start() if main else e, stance) if main is None else None
            q = _quote(text, subject, (ws, we), (we, main.start() if main else second or e), False)
            if q:
                yield q
            if main is not None:
                when = _WHEN_THAT.match(text, main.end(1), e) or _WHEN_AFTER.match(text, main.end(1), e)
                q = _quote(text, subject, main.span(1), (when.end() if when else main.end(1), e), False)
                if q:
                    yield q
            elif second is not None:
                # "…, saying he should be congratulated, but he suggested …": a second clause, its own cue
                yield from _indirect(text, second, e, subject, stance)
            return
        if not (is_speech or is_thought or is_naming):
            continue
        if not is_speech and ws < tail_at:
            continue
        if nxt == "that" and re.search(r"(?:['’]s|\b(?:his|her|their|its))\s*$", before, re.I):
            continue  # "Smith's claim", "his promise": a noun (_constructions reads "… claim that")
        if (ws > s and text[ws - 1] in "<>/=@#") or (we < e and text[we] in "-="):
            continue  # markup or a handle (<tweet tweet-author=...>), not a word of the sentence
        if is_naming and k and words[k - 1].group().lower() in _NAMED_THINGS:
            continue  # "a play called ...": a name, not a speech
        if (
            word in _NOUN_FIRST
            and k
            and words[k - 1].group().lower() in _NOT_BEFORE_CUE
            and not _GOES_ON_TO.search(text, s, ws)
        ):
            continue
        if word in _ONLY_BEFORE_THAT and not pointed_out and not _looks_reporting(text, we, e):
            continue
        # CONTENT, SPEAKER CUE.  /  CONTENT, CUE SPEAKER.  (the cue ends the sentence)
        rest = text[we:e]
        comma = before.rfind(",")
        tail_words = before[comma + 1 :]
        # the content before the comma is a clause (not "In March," nor "Lashing out,") ...
        tail_ok = comma > 0 and len(_tokens(text, s, s + comma)) >= 4 and len(tail_words.split()) <= 8
        if tail_words.strip():
            # ... and after "SPEAKER CUE" at most an adjunct ends the sentence ("Smith said on
            # Tuesday."), not a clause ("..., Trump says he goes back to war."), unless the commas
            # are an apposition ("Jane Smith, the mayor, said the plan ...")
            rest = text[_extend_cue(text, we, e) : e]  # "told POLITICO earlier this week."
            short = re.fullmatch(r"[^,;:]{0,80}?[.!?]?[”\"’]*\s*", rest) is not None
            apposition = _APPOSITION.match(before) is not None and _TELLS.match(rest) is not None
            tail_ok = tail_ok and short and not apposition and _ADJUNCT.match(rest) is not None
        else:
            # ", said Dante Scala, a professor ..." names the speaker after the cue; ", said he was
            # ..." and "Mr. Coffman, who ..., said Mr. Trump had ..." report what the subject said
            named_subject = _NAME_FIRST.match(text, s, ws) is not None and len(_tokens(text, we, e)) > 6
            if _TITLE_NAME.fullmatch(before) and len(_tokens(text, we, e)) > 3:
                named_subject = True  # "The council's lawyer, Tom Berg, said Ruiz was ..."
            apposition = _APPOSITION.match(before) is not None and _TELLS.match(rest) is not None
            tail_ok = (
                tail_ok
                and not named_subject
                and not apposition
                and _SPEAKER_AFTER.match(rest) is not None
                and not _LOWER_CLAUSE.match(rest)
                and not _TOLD_THAT.match(rest)
                and not _NAME_CLAUSE.match(rest)
                and not _NP_CLAUSE.match(rest)
            )
        if is_speech and tail_ok and not silent:
            if tail_words.strip():
                speaker = _speaker_before(text, s + comma + 1, ws)
                cue = (ws, _extend_cue(text, we, e))
            else:
                speaker = _speaker_after(text, we, e)
                cue = (ws, we)
            if speaker is not None or not tail_words.strip():
                q = _quote(text, speaker, cue, (s, s + comma), False)
                if q:
                    yield q
                return
        # CONTENT, SPEAKER CUE, CONTENT (a parenthetical cue in the middle)
        if is_speech and comma > 0 and re.match(r"\s*,", rest) and len(before[comma + 1 :].split()) <= 6:
            speaker = _speaker_before(text, s + comma + 1, ws)
            if speaker is not None:
                q = _quote(text, speaker, (ws, we), (s, e), False)
                if q:
                    yield q
                return
        # SPEAKER CUE [that] CONTENT
        speaker = _speaker_before(text, s, ws)
        if (
            speaker is None
            and subject is not None
            and re.search(r"\b(?:and|but)\s+(?:(?:also|then|later|even)\s+)?$", before)
        ):
            # "Smith attempted to ... and said ...": the subject speaks
            speaker = subject
        if speaker is None:
            continue
        cue_end = _extend_cue(text, we, e)
        start = cue_end
        if is_naming:
            start = we
        else:
            m = _WHEN_THAT.match(text, cue_end, e) or _WHEN_AFTER.match(text, cue_end, e)
            if m and m.end() > cue_end:
                start = m.end()
        if len(_tokens(text, start, e)) < (2 if silent or is_naming else 3):
            continue
        if quoting and not _QUOTED_WORDS.search(text, start, min(e, start + 60)):
            continue
        # "..., adding that ...": the same speaker goes on with a second attribution
        going_on = _GOING_ON.search(text, start, e)
        # "... but praised the senators", "..., while critics say ...": a second clause with a cue
        second = _second_clause(text, start, going_on.start() if going_on else e, stance)
        stop = second if second is not None else going_on.start() if going_on else e
        main = _MAIN_CUE.search(text, start, stop) if text[speaker[0] : speaker[1]].lower() == "who" else None
        if main is not None:
            # "Podesta, who said the project was vetted, said he was unaware": the relative clause's
            # attribution, then the main clause's, whose speaker is the name before ", who"
            q = _quote(text, speaker, (ws, cue_end), (start, main.start()), False)
            if q:
                yield q
            owner = _speaker_before(text, s, text.rfind(",", s, speaker[0]))
            when = _WHEN_THAT.match(text, main.end(1), e) or _WHEN_AFTER.match(text, main.end(1), e)
            q = _quote(text, owner, main.span(1), (when.end() if when else main.end(1), e), False)
            if q and owner is not None:
                yield q
            return
        # "Biden defended Sanders, mocked the Republicans and praised ...": one speaker, a list of cues
        listed = [
            m
            for m in _LISTED_CUE.finditer(text, start, stop)
            if m.group(1) in SPEECH_VERBS - {"said", "says"} or (stance and m.group(1) in STANCE_VERBS)
        ]
        bounds = [(ws, cue_end, start)] + [(m.start(1), m.end(1), m.end(1)) for m in listed]
        ends = [m.start() for m in listed] + [stop]
        for (cs, ce, cstart), cstop in zip(bounds, ends, strict=True):
            q = _quote(text, speaker, (cs, ce), (cstart, cstop), False)
            if q:
                yield q
        if second is not None:
            yield from _indirect(text, second, e, subject, stance)
        elif going_on:
            q = _quote(text, speaker, going_on.span(1), (going_on.end(1), e), False)
            if q:
                yield q
        return


# -- the stage function ----------------------------------------------------------------------------------


def _double_apostrophes(text: str) -> str:
    """``''so''`` (two apostrophes for a quotation mark, as some newspapers' plain text has it) as a
    straight double quote with a space on its outer side: the same length, so offsets hold."""

    def mark(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        opens = (before.isspace() or before in "([—–-") and not after.isspace()
        if len(m.group()) == 3:
            # a single quotation mark inside the double one: "''I would call it 'bold,''' he said"
            return " \"'" if opens else "'\" "
        return ' "' if opens else '" '

    return re.sub("'''?", mark, text) if "''" in text else text


def find_quotes(text: str, *, language: str | None = "en", stance: bool = False) -> list[Quote]:
    """Every attribution recognised in ``text`` (paragraphs separated by blank lines), in order of
    the text. ``language`` (a code such as "en" or "fr-CA"; None: English) picks the cues: English
    has every form; French, German and Spanish (``OTHER_CUES``) direct quotes only; any other
    language gives no quotes. ``stance`` adds the positions a source is reported to take (accused,
    urged, endorsed, wants ...: ``STANCE_VERBS``), which are attributions but not quotes."""
    lang = (language or "en").lower().split("-")[0].split("_")[0]
    if lang != "en" and lang not in OTHER_CUES:
        return []
    norm = _double_apostrophes(text)
    if norm is text:
        out = _find_in_parts(text, stance, lang)
    else:
        out = [_in_own_marks(text, q) for q in _find_in_parts(norm, stance, lang)]
    return [q for q in out if not _no_speaker(q)]


def _in_own_marks(text: str, q: Quote) -> Quote:
    """A quote found in the text with its doubled apostrophes read as quotation marks
    (``_double_apostrophes``), in the text's own characters: its marks included again."""
    start, end = q.start, q.end
    if start and text[start - 1 : start + 1] == "''":
        start -= 1
    if text[end - 1 : end + 1] == "''":
        end += 1
    return replace(
        q,
        speaker_mention=None if q.speaker_start is None else text[q.speaker_start : q.speaker_end],
        cue=text[q.cue_start : q.cue_end],
        text=text[start:end],
        start=start,
        end=end,
    )


#: Words a noun phrase does not end with: after them a participle is an adjective ("hand over all
#: its declared stockpile", "follow through on reported plans", "the current stated policy"),
#: not a verb whose subject spoke.
_OPEN_ENDS = frozenset(
    "a an the its his her their our my your this that these those of on to for with from by in at "
    "into about over and or but as than current".split()
)


def _no_speaker(q: Quote) -> bool:
    """Whether a quote is a misreading: its "cue" is a participle standing as an adjective after an
    article, a possessive or a preposition ("its declared stockpile", "a reported $1.2 million"),
    or "charged with" a crime. Nouns of saying after a possessive ("his claim that ...") are
    attributions and stay."""
    mention = q.speaker_mention
    if not mention:
        return False
    last = mention.split()[-1].casefold()
    cue = q.cue.casefold()
    said = q.text.lstrip().casefold()
    if cue.startswith("charged") and said.startswith("with "):
        return True  # charged with a crime: an indictment, not words
    return last in _OPEN_ENDS and cue.endswith("ed")


#: The most text the rules read at once. What makes a quote (its cue, its speaker, the paragraph
#: before) lies within a few paragraphs, and some of the rules look at every quotation or sentence
#: of a paragraph for each one, so a text longer than this (rare: a Wikinews article is about 5,000
#: characters) is read in parts cut at paragraph breaks (else at a sentence's end): its cost grows
#: with its length, not with its square (a 300,000-character paragraph of quotes took a minute).
PART_CHARS = 16_000


def _parts(text: str) -> list[tuple[int, int]]:
    """``text`` cut into parts of at most ``PART_CHARS``, at a blank line, else after a sentence,
    else at a space (else anywhere), in the second half of each part."""
    out = []
    start, n = 0, len(text)
    while n - start > PART_CHARS:
        lo, hi = start + PART_CHARS // 2, start + PART_CHARS
        cut = text.rfind("\n\n", lo, hi)
        if cut < 0:
            ends = [m.end() for m in _SENTENCE_BREAK.finditer(text, lo, hi)]
            cut = ends[-1] if ends else text.rfind(" ", lo, hi)
        if cut <= start:
            cut = hi
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


_SENTENCE_BREAK = re.compile(r"[.!?][”\"’]?\s")


def _find_in_parts(text: str, stance: bool, lang: str) -> list[Quote]:
    if len(text) <= PART_CHARS:
        return _find(text, stance, lang)
    out: list[Quote] = []
    for a, b in _parts(text):
        for q in _find(text[a:b], stance, lang):
            out.append(
                replace(
                    q,
                    speaker_start=None if q.speaker_start is None else q.speaker_start + a,
                    speaker_end=None if q.speaker_end is None else q.speaker_end + a,
                    cue_start=q.cue_start + a,
                    cue_end=q.cue_end + a,
                    start=q.start + a,
                    end=q.end + a,
                )
            )
    return out


#: A quotation signed with a dash and a name ending its paragraph ("“…” ― Jane Smith, a nurse").
_SIGNED = re.compile(
    r"[.,]?[ \t]*\n?\s*([―—–-])[ \t]*((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)"
    r"(?:,[^\n“”\"]{0,80})?[ \t]*\.?[ \t]*$",
    re.M,
)
_LABELLED = re.compile(r"((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)(:)[ \t]+(?=\S)")
#: Labels before a colon that are not speakers.
_NOT_SPEAKERS = frozenset(
    """Update UPDATE Note NOTE Editor Photo PHOTO Video VIDEO Related RELATED Read READ Watch
    WATCH Source Sources Correction CORRECTION Clarification Click Follow Subscribe Sign See
    Listen Also Plus Bottom Next Previous Caption Credit Image Getty Full Here Warning Advertisement
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Today Tonight Breaking BREAKING Contributing
    Reporting Additional Copyright Tags Topics Filed""".split()
)


_ASKED = re.compile(
    r"(?:^|(?<=\s))(?:[Ww]hen\s+|[Aa]fter\s+being\s+|[Ii]f\s+)?(?P<cue>[Aa]sked)"
    r"(?:\s+by\s+(?P<by>[^,]{1,60}?))?(?:\s+(?:on|in|at|during|last|this|earlier)\s+[^,]{1,40}?)?"
    r"\s+(?=(?:whether|if|how|why|what|which|who|whom|when|where|about)\b)"
)


def _asked(text: str, s: int, e: int) -> Iterator[Quote]:
    """A question put to the speaker of the sentence: "Asked whether ..., Smith said": the question
    is an attribution too (its speaker is who asked, if the sentence says: "asked by Jane Smith")."""
    for m in _ASKED.finditer(text, s, e):
        comma = text.find(",", m.end(), e)
        by = m.span("by") if m.group("by") else None
        q = _quote(text, by, m.span("cue"), (m.end(), comma if comma > 0 else e), False)
        if q:
            yield q


#: ", who said ..." after a quotation's speaker.
_WHO_CUE = re.compile(
    r"[^“”\"]*?,\s+(who)\s+(?:(?:also|later|then|has|had|often|once)\s+)?(" + _CUE_WORDS + r")\b"
)
#: "As Smith put it, …", "…, as she said.", "In Smith's words, …", "in the words of Jane Smith".
_AS_PUT = re.compile(
    r"\b(?:[Aa]s\s+(?P<c4>(?:first\s+|previously\s+|initially\s+)?(?:reported|noted|told|said|revealed)\s+by)\s+"
    r"(?P<s4>[^,;:.“”\"]{2,60}?)(?:\s+(?:on|in|last|this|earlier)\b[^,;:“”\"]{0,40})?"
    r"|[Aa]s\s+(?P<s1>[^,;:.“”\"]{2,80}?)\s+(?P<c1>(?:once\s+|later\s+|has\s+|had\s+|first\s+)?"
    r"(?:put|puts|said|says|wrote|writes|noted|notes|observed|observes|told|tells|reported|reports)\b(?:\s+it\b)?)"
    r"|[Ii]n\s+(?P<s2>his|her|their|its|(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*(?:’s|'s))\s+(?:own\s+)?(?P<c2>words)"
    r"|[Ii]n\s+the\s+(?P<c3>words)\s+of\s+(?P<s3>[^,;:.“”\"]{2,60}?))\s*(?=[,:.]|$)"
)
#: Nouns of saying after a possessive and before "that" ("Smith's claim that ...", "his warning that").
_CLAIM_NOUNS = (
    "claims?|assertions?|arguments?|contention|insistence|statements?|warnings?|suggestions?|complaints?|"
    "allegations?|charges?|promises?|pledges?|vows?|admission|acknowledge?ments?|remarks?|comments?|"
    "predictions?|beliefs?|views?|fears?|hopes?|conclusions?|findings?|accusations?|threats?|boasts?|"
    "announcements?|declarations?|observations?|reminders?|denials?|insinuations?|concerns?|"
    "argument|position|theory|view|sense|impression|message"
)
_SPEAKER_DETERMINERS = frozenset("the a an one another some many several his her their".split())
_STANCE_NOUN = re.compile(
    r"(?P<src>\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Tt]he(?:\s+[\w.’'-]+){1,3}?(?:’s|'s)|"
    r"(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*(?:’s|'s)))\s+(?:(?:[a-z]+ly|own|repeated|latest|recent|"
    r"public|strong|early|initial)\s+)?"
    r"(?P<cue>(?:support|criticism|endorsement|attacks?|calls?|praise|opposition|defense|defence|"
    r"rejection|condemnation|backing|embrace|push|demands?)\s+(?:for|of|on|to|against))\s+"
)
_PASSIVE = re.compile(
    r",?\s+(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been|being)\s+)?(?:[a-z]+ly\s+)?"
    r"(?P<cue>opposed|endorsed|criticized|criticised|praised|backed|supported|condemned|rejected|"
    r"welcomed|accused|blamed|attacked|denounced|dismissed|challenged|questioned|disputed|claimed|"
    r"described|dubbed|labeled|labelled|hailed|derided|mocked|slammed|favored|sought|urged)"
    r"(?P<by>\s+by)\b"
)
_CLAIM = re.compile(
    r"(?P<src>\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Tt]he(?:\s+[\w.’'-]+){1,3}?(?:’s|'s)|(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*(?:’s|'s)))\s+"
    r"(?:(?:[a-z]+ly|earlier|latest|recent|repeated|own|frequent|initial|false|new|public|private|"
    r"oft-repeated|previous|stated|bold|dubious|controversial)\s+)?(?P<cue>" + _CLAIM_NOUNS + r")"
    r"\s+(?=that\b)"
)


#: A poll, a survey or a study as the source of the sentence: "In a CBS News poll released Monday, …".
_SOURCE_NOUNS = r"(?:poll|polls|polling|survey|surveys|study|studies|report|analysis|census|data|findings)"
_IN_SOURCE = re.compile(
    r"\s*(?P<cue>[Ii]n)\s+(?P<src>(?:the|a|an|its|their|his|her|this|that|[A-Z][\w.’'/-]*)"
    r"(?:\s+[\w.’'/&-]+){0,6}?\s+" + _SOURCE_NOUNS + r"\b[^,;:.]{0,60}?),\s+"
)
_IN_SOURCE_AFTER = re.compile(
    r"\s+(?P<cue>in)\s+(?P<src>(?:the\s+|a\s+|an\s+|[A-Z][\w.’'/-]*\s+)?(?:[\w.’'/&-]+\s+){0,5}?"
    r"(?:poll|polls|polling|survey|surveys))\b(?P<rest>[^,;:“”\"]{0,50})[.!?]?[”\"’]*\s*$"
)


_SEEMS = re.compile(
    r"\b(?:seems|seemed|appears|appeared|reportedly|allegedly|purportedly|"
    r"(?:is|are|was|were)\s+(?:widely\s+)?(?:expected|likely|unlikely))\b"
    r"(?=\s+(?:to\b|[a-z]+\b))"
)


#: "made it clear that", "made the case to donors that": a phrase of saying before "that".
_MADE_CLEAR = re.compile(
    r"\b(?:made|makes|make|making)\s+(?:it\s+)?(?:very\s+|abundantly\s+|perfectly\s+)?(?:clear|plain|known)\b"
    r"|\b(?:made|makes|make|making)\s+the\s+(?:case|argument|point)\b"
)


#: "referred to the plan as “a disgrace”": a naming in quoted words, as "called" is.
_REFERRED_AS = re.compile(
    r"\b(?P<cue>(?:referred|refers|refer|referring)\s+to)\s+[^.;:“”\"]{1,80}?\s+as\s+(?:an?\s+|the\s+)?(?P<mark>[“\"])"
)


def _constructions(text: str, s: int, e: int, stance: bool = False) -> Iterator[Quote]:
    """The attributions a cue word alone does not make: "As Smith put it, …", "…, as she said",
    "In Smith's words, …", "Smith's claim that …"."""
    for m in _AS_PUT.finditer(text, s, e):
        kind = next(k for k in ("1", "2", "3", "4") if m.group("c" + k))
        speaker, cue = m.span("s" + kind), m.span("c" + kind)
        if kind == "3":
            cue = (m.start(), m.end("c3") + 3)
        elif kind == "4":
            cue = (m.start(), m.end("c4"))
        elif kind == "2":
            cue = (m.start(), m.end("c2"))
        first = text[m.start("s1") : m.end("s1")].split()[0] if kind == "1" else ""
        if kind == "1" and first.islower() and first not in PRONOUNS | _SPEAKER_DETERMINERS:
            continue  # "as long as …", "as soon as …": not a speaker
        if kind == "1" and len(_tokens(text, *speaker)) > 8:
            continue
        if not text[s : m.start()].strip():
            q = _quote(text, speaker, cue, (m.end(), e), False)
        elif _ADJUNCT.fullmatch(text, m.end(), e) and re.search(r",\s*$", text[s : m.start()]):
            q = _quote(text, speaker, cue, (s, m.start()), False)
        else:
            continue
        if q is not None:
            yield q
    # "In a CBS News poll released Monday, 40 percent …" / "… ahead of Trump in national polls."
    opening = _IN_SOURCE.match(text, s, e)
    if opening is not None:
        q = _quote(text, opening.span("src"), opening.span("cue"), (opening.end(), e), False)
        if q is not None and len(_tokens(text, q.start, q.end)) >= 4:
            yield q
    else:
        closing = _IN_SOURCE_AFTER.search(text, s, e)
        if closing is not None and len(_tokens(text, s, closing.start())) >= 4:
            q = _quote(text, closing.span("src"), closing.span("cue"), (s, closing.start()), False)
            if q is not None:
                yield q
    seems = _SEEMS.search(text, s, e) if stance else None
    if seems is not None and len(_tokens(text, s, seems.start())) <= 12:
        # "Trump seemed to appreciate that …", "rivals are expected to quit": a perspective no one
        # is named for (stance=True only)
        clause = max(s, text.rfind(",", s, seems.start()) + 1)
        q = _quote(text, None, seems.span(), (clause, e), False)
        if q is not None and len(_tokens(text, q.start, q.end)) >= 4:
            yield q
    for m in _STANCE_NOUN.finditer(text, s, e) if stance else ():
        # "Trump's call for a ban", "her support for the bill", "Clinton's attacks on Sanders"
        possessor = text[m.start("src") : m.end("src")].split()
        if len(possessor) == 1 and possessor[0][:-2].rstrip("’'") in _NOT_NAME:
            continue
        end = _clause_end(text, m.end(), e)
        q = _quote(text, m.span("src"), m.span("cue"), (m.end(), end), False)
        if q is not None and len(_tokens(text, q.start, q.end)) >= 2:
            yield q
    for m in _PASSIVE.finditer(text, s, e) if stance else ():
        # "The bill, opposed by House Republicans, never became law": the thing is the content
        clause = max(s, text.rfind(",", s, m.start() - 1) + 1, text.rfind(";", s, m.start()) + 1)
        src_end = _clause_end(text, m.end("by"), e)
        by_whom = _speaker_after(text, m.end("by"), src_end)
        q = _quote(text, by_whom, m.span("cue"), (clause, m.start()), False)
        if q is not None and by_whom is not None:
            yield q
    for m in _REFERRED_AS.finditer(text, s, e):
        # "Ruiz referred to the plan as “a disgrace”": naming in quoted words, as "called" is
        closes = text.find(m.group("mark") if m.group("mark") == '"' else "”", m.end(), e)
        if closes < 0:
            continue
        namer = _speaker_before(text, s, m.start()) or _subject(text, s, e)
        q = _quote(text, namer, m.span("cue"), (m.end("cue"), closes + 1), False)
        if q is not None and namer is not None:
            yield q
    for m in _MADE_CLEAR.finditer(text, s, e):
        maker = _speaker_before(text, s, m.start())
        that = re.compile(r"[^.;:“”\"]{0,60}?(?=\bthat\b)").match(text, m.end(), e)
        if maker is None or that is None:
            continue
        q = _quote(text, maker, m.span(), (that.end(), e), False)
        if q is not None:
            yield q
    for m in _CLAIM.finditer(text, s, e):
        possessor = text[m.start("src") : m.end("src")].split()
        if len(possessor) == 1 and possessor[0][:-2].rstrip("’'") in _NOT_NAME:
            continue  # "Monday's warning that": a time, not a speaker
        end = _clause_end(text, m.end(), e, commas=False)
        q = _quote(text, m.span("src"), m.span("cue"), (m.end(), end), False)
        if q is not None and len(_tokens(text, q.start, q.end)) >= 4:
            yield q


def _takes(cs: int, ce: int, ss: int, se: int) -> bool:
    """Whether a direct quote (cs, ce) takes the sentence (ss, se): overlaps it from its start or
    to its end, or over half of it."""
    return cs < se and ce > ss and (cs <= ss + 3 or ce >= se - 3 or ce - cs > (se - ss) / 2)


def _find(text: str, stance: bool, lang: str) -> list[Quote]:
    cues = _TAIL if lang == "en" else _OTHER_TAIL[lang]
    paragraphs = _paragraphs(text)
    quotations = _quotations(text, paragraphs)
    sentences = [sent for ps, pe in paragraphs for sent in _sentences(text, ps, pe, quotations)]
    out: list[Quote] = []
    covered: list[tuple[int, int]] = []  # text already taken by a direct quote and its cue
    previous: Quote | None = None
    for qs, qe in quotations:
        para = next(((ps, pe) for ps, pe in paragraphs if ps <= qs < pe), (qs, qe))
        para_end = next((pe for ps, pe in paragraphs if ps < qe <= pe), para[1])
        sent = _sentence_of(sentences, qs)
        inner = text[qs + 1 : qe - 1].strip() if qe - qs > 1 else ""
        # a partial quote inside a sentence (not at its start, not after a colon or comma cue) is
        # left to reported speech
        lead = text[sent[0] : qs]
        starts_sentence = not lead.strip() or bool(re.search(r"[,:]\s*$", lead))
        found = _cue_after_quote(text, qs, qe, para_end, cues, opens_sentence=starts_sentence)
        where = "after"
        if found is None and not lead.strip():
            # '“…” ― Jane Smith, a nurse': a dash and a name after the quotation, on its line or the next
            signed = _SIGNED.match(text, qe)
            if signed and signed.group(2).split()[0] not in _NOT_SPEAKERS | _NOT_NAME:
                name_end = signed.end(2) - (text[signed.end(2) - 1] == "." and text[signed.end(2) - 3] != ".")
                found = (signed.start(2), name_end), signed.span(1)
        if found is None:
            before_lo = sent[0]
            if qs == para[0]:
                prev_para = next(
                    ((ps, pe) for ps, pe in paragraphs if pe < qs and text[pe:qs].strip() == ""), None
                )
                if prev_para and text[prev_para[1] - 1] == ":":
                    before_lo = _sentence_of(sentences, prev_para[1] - 1)[0]
                    found = _cue_before_quote(text, prev_para[1], before_lo, cues)
                    where = "before"
                    if found is None and lang == "en":
                        found = _colon_before_quote(text, before_lo, qs)
                else:
                    found = None
            else:
                found = _cue_before_quote(text, qs, before_lo, cues) if starts_sentence else None
                where = "before"
                if found is None and lang == "en":
                    # 'The union released a statement saying, “…”'
                    found = _participle_before_quote(text, sent[0], qs)
                if found is None and lang == "en" and re.search(r":\s*$", lead):
                    # 'The mayor shot back: “…”', 'More from Ana Ruiz: “…”'
                    found = _colon_before_quote(text, sent[0], qs)
        content_end = qe
        if found is None and not lead.strip() and lang == "en":
            # '“…” in the mosque, he said.': the cue ends the sentence the quotation opens
            ending = _cue_ending_sentence(text, qe, sent[1], cues)
            if ending is not None:
                found, content_end, where = ending[:2], ending[2], "after"
            elif previous is None or previous.end < qs - 400 or "\n" in text[previous.end : qs]:
                # 'Smith said in a statement. “…”': the sentence before is a speaker and a cue only
                before = [(ss, se) for ss, se in sentences if se <= qs and not text[se:qs].strip(" \n")]
                if before and not any(cs < before[-1][1] and ce > before[-1][0] for cs, ce in covered):
                    found = _cue_sentence(text, *before[-1], cues)
                    where = "before"
        # '“A,” she said, “b.”': the cue of the quotation before is this one's too: one attribution
        if (
            found is not None
            and previous is not None
            and previous.direct
            and found[1][0] == previous.cue_start
            and "\n" not in text[previous.end : qs]
        ):
            found = None
        if found is not None:
            speaker, cue = found
            content_start = qs
            if not starts_sentence and where == "after":
                content_start = sent[0]
            elif where == "before" and sent[0] <= (speaker or cue)[0] and _OPENS_LOWER.match(text, qs):
                # 'These sources, the lawyers said, “all command the same conclusion”': the cue stands
                # in the middle of one sentence, which is what was said
                opening = text[sent[0] : (speaker or cue)[0]]
                first_word = opening.split()[0].lower() if opening.split() else ""
                long_enough = len(_tokens(text, sent[0], (speaker or cue)[0])) >= 4
                if re.search(r",\s*$", opening) and long_enough and first_word not in _OPENING:
                    content_start = sent[0]
            q = _quote(text, speaker, cue, (content_start, content_end), True)
            if q:
                out.append(q)
                previous = q
                covered.append((min(content_start, cue[0]), max(content_end, cue[1])))
            continue
        is_whole = starts_sentence and bool(_OPENS_WHOLE.match(text, qs)) and len(inner.split()) >= 4
        # '“A,” she said, “b.”': the sentence goes on after its cue
        goes_on = previous is not None and bool(
            re.fullmatch(r"[^.!?\n“”\"]*[,:]\s*", _ABBREVIATED.sub("A", text[previous.end : qs]))
        )
        if previous is not None and (is_whole or goes_on) and previous.direct and qs - previous.end < 400:
            between = text[previous.end : qs]
            if "\n" not in between or qs == para[0]:
                same_paragraph = "\n" not in between
                adding = _GOING_ON.search(text, previous.end, qs) if same_paragraph else None
                if adding is not None and not re.fullmatch(r"\s*[,:]?\s*", text[adding.end(1) : qs]):
                    adding = None  # '…, adding that the vote “…”': a partial quote, one attribution
                if adding is not None and previous.speaker_start is not None:
                    # '“A,” he said, adding: “B.”': the same speaker, a second attribution
                    speaker = (previous.speaker_start, previous.speaker_end or previous.speaker_start)
                    q = _quote(text, speaker, adding.span(1), (qs, qe), True)
                    if q:
                        out.append(q)
                        covered.append((adding.start(1), qe))
                        previous = q
                    continue
                if same_paragraph:
                    # the speaker goes on after the cue: one attribution, the cue inside its span
                    merged = Quote(
                        previous.speaker_mention,
                        previous.speaker_start,
                        previous.speaker_end,
                        previous.cue,
                        previous.cue_start,
                        previous.cue_end,
                        text[previous.start : qe],
                        previous.start,
                        qe,
                        True,
                    )
                    out[out.index(previous)] = merged
                    covered.append((previous.start, qe))
                    previous = merged
                    continue
                q = Quote(
                    previous.speaker_mention,
                    previous.speaker_start,
                    previous.speaker_end,
                    previous.cue,
                    previous.cue_start,
                    previous.cue_end,
                    text[qs:qe],
                    qs,
                    qe,
                    True,
                )
                out.append(q)
                covered.append((qs, qe))
                previous = q
                continue
    for ps, pe in paragraphs if lang == "en" else ():
        # a headline or a transcript: "Kasich: ‘We will go all the way.’", "CLINTON: Honestly, ..."
        m = _LABELLED.match(text, ps, pe)
        if (
            m
            and m.group(1).split()[0] not in _NOT_SPEAKERS
            and not any(cs < pe and ce > ps for cs, ce in covered)
        ):
            q = _quote(text, m.span(1), m.span(2), (m.end(2), pe), False)
            if q:
                out.append(q)
                covered.append((ps, pe))
                continue
        # a headline in title case: "Harbour Master Says The Ferry Will Run ..."
        headline = _headline(text, ps, pe, stance)
        if headline is not None and not any(cs < pe and ce > ps for cs, ce in covered):
            out.append(headline)
            covered.append((ps, pe))
    for ss, se in sentences if lang == "en" else ():
        if any(_takes(cs, ce, ss, se) for cs, ce in covered):
            # '“…,” Smith said, adding that …': the speaker of the quote goes on
            for direct in out:
                if direct.direct and ss <= direct.cue_start < se and direct.speaker_start is not None:
                    after = max(direct.cue_end, direct.speaker_end or 0)
                    going_on = _GOING_ON.match(text, after, se)
                    if going_on is None:
                        # "said Smith, a spokesman, adding ..." / "said, noting ..."
                        going_on = _GOING_ON.search(text, after, min(se, after + 80))
                    who = _WHO_CUE.match(text, after, min(se, after + 160)) if going_on is None else None
                    if going_on:
                        speaker = (direct.speaker_start, direct.speaker_end or direct.speaker_start)
                        q = _quote(text, speaker, going_on.span(1), (going_on.end(1), se), False)
                        if q and not any(cs < q.end and ce > q.start for cs, ce in covered):
                            out.append(q)
                    elif who:
                        # '“…,” said Ana Ruiz, who said the ferry ...': the relative pronoun speaks
                        said = who.end(2)
                        when = _WHEN_THAT.match(text, said, se) or _WHEN_AFTER.match(text, said, se)
                        q = _quote(text, who.span(1), who.span(2), (when.end() if when else said, se), False)
                        if q and not any(cs < q.end and ce > q.start for cs, ce in covered):
                            out.append(q)
                    break
            # 'When asked why, Sembler said: “…”': the question put is an attribution too
            out.extend(
                a for a in _asked(text, ss, se) if not any(cs < a.end and ce > a.start for cs, ce in covered)
            )
            # 'Ruiz told the council that A, adding, “B.”': the clause before the participle is reported too
            for direct in [d for d in out if d.direct and ss < d.cue_start < d.start < se]:
                if direct.cue.lower() not in PARTICIPLES:
                    continue
                head = text.rfind(",", ss, direct.cue_start)
                if head <= ss or any(cs < head and ce > ss for cs, ce in covered):
                    continue
                out.extend(
                    one
                    for one in _indirect(text, ss, head, _subject(text, ss, head), stance)
                    if not any(o.start < one.end and o.end > one.start for o in out)
                )
            continue
        said_here = [*_indirect(text, ss, se, _subject(text, ss, se), stance), *_asked(text, ss, se)]
        for extra in _constructions(text, ss, se, stance):
            if not any(f.start < extra.end and f.end > extra.start for f in said_here):
                said_here.append(extra)
        for one in said_here:
            if not any(cs < one.end and ce > one.start for cs, ce in covered):
                out.append(one)
    if lang == "en":
        out.extend(_going_on_paragraphs(text, paragraphs, quotations, out))
        out = [_fit_to_quotation(text, q, quotations) for q in out]
    out.sort(key=lambda q: q.start)
    return out


#: A quotation that opens a sentence of its own (a capital, perhaps an editor's bracket first),
#: and one that goes on a sentence begun before it.
_OPENS_WHOLE = re.compile(r"[“\"„«»]\s*\[?[A-Z]")
_OPENS_LOWER = re.compile(r"[“\"„«»]\s*[a-z]")
_NAME_BEFORE_COLON = re.compile(r"(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*(?=\s*$)")


def _colon_before_quote(text: str, lo: int, qs: int) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """``The mayor shot back: “…”`` / ``More from Ana Ruiz: “…”`` / ``Ferry numbers - Tom Berg: “…”``: a
    whole quotation after a colon, with no verb of saying before it, is what the sentence before the
    colon names: the name right before the colon when it stands alone (after the sentence's start,
    a dash or a comma), else the sentence's subject; none found, no quote."""
    if not _OPENS_WHOLE.match(text, qs):
        return None
    colon = text.rfind(":", lo, qs)
    if colon < 0:
        return None
    named = _NAME_BEFORE_COLON.search(text, lo, colon)
    if named is not None and (
        named.start() == lo or re.search(r"(?:[-—–,]|\bfrom)\s*$", text[lo : named.start()])
    ):
        speaker: tuple[int, int] | None = named.span()
    else:
        opener = re.compile(r"[A-Z][a-z]+(?:ed|ing)\b[^,:]*,\s*").match(text, lo, colon)
        speaker = _subject(text, opener.end() if opener else lo, colon)
    if speaker is None:
        return None
    return speaker, (colon, colon + 1)


_PARTICIPLE_BEFORE = re.compile(
    r"\b(" + "|".join(sorted(PARTICIPLES)) + r"|concluded|began|begins|exclaimed"
    r"|chanting|shouting|yelling|screaming|chanted|shouted|yelled)\s*[,:]?\s*$"
)
#: ", telling the council, “…”" / "and asking reporters: “…”": a participle of saying and its listener
_PARTICIPLE_AUDIENCE_BEFORE = re.compile(
    r"(?:,|\band)\s+(telling|asking|reminding|assuring|warning)\s+[\w’'.-]+(?:\s+[\w’'.-]+){0,6}\s*[,:]\s*$"
)
#: "As Jane Smith, a professor of law, put it, “…”"
_AS_PUT_BEFORE = re.compile(
    r"\b[Aa]s\s+(?P<who>.{2,200}?)\s+(?P<cue>put\s+it|puts\s+it)\b[^.!?“”\"]{0,80}?[,:]\s*$"
)


def _participle_before_quote(
    text: str, lo: int, qs: int
) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """``Ruiz ended the meeting, saying, “…”`` / ``she released a statement saying: “…”`` / ``He
    concluded, “…”`` / ``protesters marched, chanting “…”``: a participle of saying (or a verb that
    opens a speech) right before a whole quotation, or with its listener between (``…, and telling
    the council, “…”``); the speaker is the sentence's subject (else the noun phrase before the
    cue). Also ``As Jane Smith, a professor of law, put it, “…”``."""
    if not _OPENS_WHOLE.match(text, qs):
        return None
    m = _PARTICIPLE_BEFORE.search(text, lo, qs) or _PARTICIPLE_AUDIENCE_BEFORE.search(text, lo, qs)
    if m is None:
        put = _AS_PUT_BEFORE.search(text, lo, qs)
        if put is None:
            return None
        speaker = _speaker_before(text, put.start("who"), put.start("cue"))
        return (speaker, put.span("cue")) if speaker is not None else None
    speaker = _subject(text, lo, m.start(1)) or _speaker_before(text, lo, m.start(1))
    if speaker is None:
        return None
    return speaker, m.span(1)


def _fit_to_quotation(text: str, q: Quote, quotations: list[tuple[int, int]]) -> Quote:
    """Reported speech whose content stops just short of the closing mark of words it quotes
    (Ruiz said the timetable “should be settled by spring,” …) takes the mark, and the comma or
    stop inside it: the content ends with the quoted words, so it is a partial quote (direct)."""
    if q.direct:
        return q
    inside = [(a, b) for a, b in quotations if q.start <= a < q.end]
    if not inside or inside[-1][1] <= q.end:
        return q
    b = inside[-1][1]
    if not re.fullmatch(r"[,.!?;:]?\s*", text[q.end : b - 1]):
        return q
    speaker = (q.speaker_start, q.speaker_end or q.speaker_start) if q.speaker_start is not None else None
    fitted = _quote(text, speaker, (q.cue_start, q.cue_end), (q.start, b), False)
    return fitted if fitted is not None else q


_TITLE_WORD = re.compile(r"[\w’'-]+")


def _headline(text: str, ps: int, pe: int, stance: bool) -> Quote | None:
    """A headline in title case with a verb of saying (``Harbour Master Says The Ferry Will Run ...``,
    ``Ruiz Tells Council ...``): the capitalised words before the verb are the speaker, the
    words after it what was said."""
    words = list(_TITLE_WORD.finditer(text, ps, pe))
    if not 3 <= len(words) <= 25:
        return None
    long_words = [w.group() for w in words if len(w.group()) >= 4]
    if not long_words or sum(w[0].isupper() for w in long_words) < 0.8 * len(long_words):
        return None
    for k, w in enumerate(words[1:8], 1):
        verb = w.group()
        lower = verb.lower()
        if not verb[0].isupper() or not (lower in SPEECH_VERBS or (stance and lower in STANCE_VERBS)):
            continue
        if not lower.endswith(("s", "ed", "told")) or k + 2 > len(words):
            return None
        speaker = (words[0].start(), words[k - 1].end())
        if not all(x.group()[0].isupper() or x.group() in {"’s", "'s"} for x in words[:k]):
            return None
        end = pe
        while end > w.end() and text[end - 1] in ".!? ":
            end -= 1
        return _quote(text, speaker, w.span(), (w.end(), end), False)
    return None


def _going_on_paragraphs(
    text: str, paragraphs: list[tuple[int, int]], quotations: list[tuple[int, int]], found: list[Quote]
) -> Iterator[Quote]:
    """A paragraph that is a quotation and nothing else, with no cue of its own, right after a
    paragraph whose last attribution names its speaker: that speaker going on (the newspaper
    convention; the attribution before may be reported speech: 'Smith said the plan would fail. /
    “Nobody has read it.”')."""
    for (ps, pe), (prev_s, prev_e) in zip(paragraphs[1:], paragraphs, strict=False):
        inside = [(qs, qe) for qs, qe in quotations if ps <= qs < pe]
        if not inside or inside[0][0] != ps or text[inside[-1][1] : pe].strip(" .,") or len(inside) > 1:
            continue
        qs, qe = inside[0]
        if len(re.findall(r"\w+", text[qs:qe])) < 4 or any(q.start < pe and q.end > ps for q in found):
            continue
        before = [q for q in found if prev_s <= q.start < prev_e and q.speaker_start is not None]
        if not before:
            continue
        last = max(before, key=lambda q: q.end)
        yield Quote(
            last.speaker_mention,
            last.speaker_start,
            last.speaker_end,
            last.cue,
            last.cue_start,
            last.cue_end,
            text[qs:qe],
            qs,
            qe,
            True,
        )

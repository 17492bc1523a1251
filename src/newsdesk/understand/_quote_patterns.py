"""The cues of attribution and where they may stand: the compiled patterns quote finding
(``quotes.py``) matches, and the functions that find a cue and its speaker around a quotation or
at the end of a sentence, as spans. Nothing here makes a ``Quote``: the rules that do, and decide
which of these to try, stay in ``quotes.py``, so that it reads as the list of forms while the
patterns, long and many, are read here beside one another.
"""

from __future__ import annotations

import re

from ._cues import _AUDIENCE, _NOT_BEFORE_CUE, _NOT_NAME, SPEECH_VERBS, STANCE_VERBS, THOUGHT_VERBS
from ._quote_speakers import _NAME_FIRST, _speaker_after, _speaker_before
from ._quote_text import _clause_end, _tokens


def _split_cues(words: str) -> list[str]:
    """The cues of a space-separated list, where "a déclaré" (an auxiliary and its participle) is one."""
    out: list[str] = []
    pending = ""
    for w in words.split():
        if w == "a":
            pending = "a "
            continue
        out.append(pending + w)
        pending = ""
    return out


_CUE_WORDS = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
#: SPEAKER CUE at the end of a clause, after the content: ", Smith said." / ", said Smith."
_TAIL = re.compile(rf"\b(?:{_CUE_WORDS})\b")
#: Cues of direct quotes in a few other languages (the verbs of saying beside a quotation: "»,
#: a déclaré la maire", "“, sagte Müller", "», dijo el alcalde"). Only direct quotes are found in
#: these; reported speech needs each language's grammar.
OTHER_CUES = {
    "fr": "a déclaré a dit a affirmé a ajouté a expliqué a souligné a assuré a estimé déclare affirme "
    "ajoute explique souligne estime assure dit",
    "de": "sagte sagt erklärte erklärt betonte betont meinte meint fügte warnte warnt schrieb schreibt",
    "es": "dijo dice afirmó afirma declaró declara señaló señala aseguró asegura añadió añade explicó "
    "explica agregó",
}
_OTHER_TAIL = {
    lang: re.compile(
        r"(?<!\w)(?:"
        + "|".join(sorted((re.escape(c) for c in _split_cues(words)), key=len, reverse=True))
        + r")(?!\w)"
    )
    for lang, words in OTHER_CUES.items()
}
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")


def _cue_after_quote(
    text: str,
    qstart: int,
    qend: int,
    para_end: int,
    cues: re.Pattern[str] = _TAIL,
    *,
    opens_sentence: bool = True,
) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """``“…,” she said`` / ``“…,” said Smith`` / ``“….” The minister added.``: (speaker, cue).
    After a quotation that ends its sentence the cue must end the next one too (“….” Smith said.),
    or it is the next sentence's own (“….” Smith also claimed that …)."""
    m = re.compile(r"[ \t]*,?[ \t]*").match(text, qend)
    pos = m.end() if m else qend
    ce = min(_clause_end(text, pos, para_end, commas=False), pos + 120)
    cue = cues.search(text, pos, ce)
    if cue is None and cues is _TAIL and re.search(r"[,?!]\W*$", text[qstart:qend]):
        # '“…,” the editorial read.' / '“…,” Hannity started.': after a quotation and its comma, a
        # short noun phrase and a verb in the past that end the clause say who said it
        cue = _ANY_TAIL.search(text, pos, ce)
        if cue is None or not (_ADJUNCT.fullmatch(text, cue.end(), ce) and text[ce : ce + 1] in ".!?"):
            return None
        if not re.fullmatch(r"(?:the\s+|[A-Z])[^,;:]*\s", text[pos : cue.start()]):
            return None
    if cue is None:
        return None
    words_before = _tokens(text, pos, cue.start())
    between = text[pos : cue.start()]
    commas = between.count(",")
    # "Smith said" / "Jane Smith, the mayor, said" (an apposition between two commas)
    if commas == 0 and len(words_before) > 8:
        return None
    if commas and (commas != 2 or not between.rstrip().endswith(",") or len(words_before) > 18):
        return None
    ce = _clause_end(text, cue.end(), ce)
    ends_sentence = bool(re.search(r"[.!?…]\W*$", text[qstart:qend]))
    if cue.start() > pos and words_before:
        speaker = _speaker_before(text, pos, cue.start())
        if (
            speaker is not None
            and speaker[0] != words_before[0][0]
            and _COORDINATED.fullmatch(text, pos, speaker[0])
        ):
            # '“…,” Smith and Jones said', '“…,” Harbour and Dock Workers' Union members said': the
            # speakers are joined by "and"; the whole phrase speaks
            speaker = (pos, speaker[1])
        if speaker is None or speaker[0] != words_before[0][0]:
            # "“…” - but he said …": the words between are not (all) the speaker's name
            return None
        # the words after the cue that belong to it: "told reporters", "said in a statement"
        cue_end = _extend_cue(text, cue.end(), ce)
        longest = 90
    else:
        speaker = _speaker_after(text, cue.end(), ce)
        cue_end = cue.end()
        # "“…?” said Bob Hale, a delegate who has …. “…”": the speaker's apposition may be long
        longest = 250 if speaker is not None else 90
    if not opens_sentence and (
        not re.match(rf"[^“”\"]{{0,{longest}}}?(?:[.!?;]|$)", text[cue_end:para_end])
        or re.match(r"\s*(?:that|he|she|they|it|we|i|the|a|an|his|her|their)\b", text[cue_end:para_end], re.I)
    ):
        # "On ABC's “This Week,” Smith said that …": the quotation is not what was said
        return None
    if ends_sentence and not re.match(rf"[^.!?“”\"]{{0,{longest}}}?(?:[.!?]|$)", text[cue_end:para_end]):
        return None
    if ends_sentence and re.match(r"\s*(?:that\b|,?\s*[“\"])", text[cue_end:para_end]):
        return None
    return speaker, (cue.start(), cue_end)


#: Capitalised words and "and" (or "&") before a second speaker: a coordinated speaker.
_COORDINATED = re.compile(r"(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){1,4}(?:and|&)\s+")
#: Any verb in the past ending a clause after a quotation ("“…,” Hannity started.").
_ANY_TAIL = re.compile(r"\b(?:[a-z]{3,}ed|read|reads|wrote|put it|shot back|went on|chimed in)\b")
_TOLD = re.compile(
    r"\b(?:told|tells|tell|telling|informed|informs|assured|assures|reassured|reminded|reminds|advised|"
    r"advises)\b",
    re.I,
)


def _extend_cue(text: str, cue_end: int, limit: int) -> int:
    """The cue with its audience ("told reporters", "told The Associated Press")."""
    last = text[max(0, cue_end - 12) : cue_end].split()
    if not last or not _TOLD.fullmatch(last[-1]):
        return cue_end
    m = _AUDIENCE.match(text, cue_end + 1 if text[cue_end : cue_end + 1] == " " else cue_end, limit)
    if m is None or m.end() <= cue_end + 1:
        # "assured residents that ...": whoever is told, up to "that"
        m = re.compile(r"\s+(?:[\w’'.-]+\s+){0,3}?[\w’'.-]+(?=\s+that\b)").match(text, cue_end, limit)
    if m is None or m.end() <= cue_end + 1:
        return cue_end
    end = m.end()
    while end > cue_end and text[end - 1].isspace():
        end -= 1  # "told POLITICO", not "told POLITICO "
    return end


def _cue_before_quote(
    text: str, qstart: int, lo: int, cues: re.Pattern[str] = _TAIL
) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """``Smith said: “…”`` / ``He added, “…”`` (the cue may end the paragraph before)."""
    found = list(cues.finditer(text, max(lo, qstart - 60), qstart))
    if not found:
        return None
    cue = found[-1]
    cue_end = _extend_cue(text, cue.end(), qstart)
    tail = text[cue_end:qstart]
    after = None
    if not re.fullmatch(r"\s*[,:]?\s*", tail):
        # "said Smith: “…”" or "told reporters on Monday: “…”"
        if not re.fullmatch(r"[^.!?“”\"]{0,60}[,:]\s*", tail):
            return None
        after = _speaker_after(text, cue_end, qstart) if text[cue.start()].islower() else None
    speaker = _speaker_before(text, lo, cue.start()) or after
    if speaker is None:
        speaker = _speaker_after(text, cue_end, qstart)
    return speaker, (cue.start(), cue_end)


def _cue_ending_sentence(
    text: str, qend: int, sent_end: int, cues: re.Pattern[str]
) -> tuple[tuple[int, int] | None, tuple[int, int], int] | None:
    """``“…” in the mosque meetings, he said.``: a quotation opens a sentence, a few words go on
    from it, and a speaker and a cue after a comma end it: (speaker, cue, where the content ends)."""
    m = re.compile(r"[^“”\"\n]{1,150}?,\s+").match(text, qend, sent_end)
    if m is None:
        return None
    comma = text.rfind(",", qend, m.end())
    cue = cues.search(text, m.end(), sent_end)
    if cue is None or not _ADJUNCT.fullmatch(text, cue.end(), sent_end):
        return None
    if cue.start() > m.end():
        speaker = _speaker_before(text, m.end(), cue.start())
        words = _tokens(text, m.end(), cue.start())
        if speaker is None or speaker[0] != words[0][0] or len(words) > 8:
            return None
    else:
        speaker = _speaker_after(text, cue.end(), sent_end)
        if speaker is None or not _ADJUNCT.fullmatch(text, speaker[1], sent_end):
            return None
    return speaker, (cue.start(), cue.end()), comma


def _cue_sentence(
    text: str, ss: int, se: int, cues: re.Pattern[str]
) -> tuple[tuple[int, int] | None, tuple[int, int]] | None:
    """``Smith said in a statement.`` / ``The mayor, a Democrat, added:``: a sentence that is only a
    speaker, a cue and an adjunct (the quotation after it is what was said): (speaker, cue)."""
    cue = cues.search(text, ss, se)
    if cue is None or cue.start() == ss or not text[cue.start()].islower():
        return None
    cue_end = _extend_cue(text, cue.end(), se)
    colon = re.fullmatch(r"[^.!?“”\"]{0,60}:\s*", text[cue_end:se])
    if not _ADJUNCT.fullmatch(text, cue_end, se) and not colon:
        return None
    words = _tokens(text, ss, cue.start())
    speaker = _speaker_before(text, ss, cue.start())
    if speaker is None or len(words) > 20:
        return None
    if speaker[0] != words[0][0]:
        named = _NAME_FIRST.match(text, ss, cue.start())
        if named is None or named.group(1).split()[0] in _NOT_NAME:
            return None
        speaker = named.span(1)
    return speaker, (cue.start(), cue_end)


#: A short noun phrase and a name in apposition opening a sentence before its cue ("The council's
#: lawyer, Tom Berg, said ...", "The lawyer, Ana Ruiz, said ..."): the speaker, not a content.
_TITLE_NAME = re.compile(r"\s*(?:[\w’'.-]+\s+){0,4}[\w’'.-]+,\s*(?:[A-Z][\w.’'-]*\s+){1,3}[A-Z][\w.’'-]*,\s*")
#: "issued a statement saying ...": a written statement and its participle, the subject speaking.
_WRITTEN_SAYING = re.compile(
    r"\b(?:statement|statements|email|e-mail|tweet|tweets|letter|message|memo|note|release|post|"
    r"ad|video)\s*$"
)
_MAIN_CUE = re.compile(r",\s+(?:(?:also|later|then)\s+)?(said|says|told|added|argued|noted|insisted|wrote)\b")
_LISTED_CUE = re.compile(r",\s+(?:and\s+)?([a-z]+ed)\b")
_CONJUNCTION = re.compile(r"(?:,\s*|\s+)(?=(?:but|and|while|whereas)\s)")


def _second_clause(text: str, start: int, end: int, stance: bool) -> int | None:
    """Where a second clause with a cue of its own begins in ``text[start:end]`` (at its
    conjunction: "but praised ...", "while critics say ..."), if one does."""
    for m in _CONJUNCTION.finditer(text, start, end):
        before = text[start : m.start()]
        if before.count("“") > before.count("”") or before.count('"') % 2:
            continue  # inside quoted words: 'the offer was “fair and affordable” and warned ...'
        words = re.findall(r"[\w’'-]+", text[m.end() : min(end, m.end() + 80)])[1:9]
        for i, w in enumerate(words):
            if w in SPEECH_VERBS or (stance and w in STANCE_VERBS - THOUGHT_VERBS):
                if i == 0 or words[i - 1].lower() not in _NOT_BEFORE_CUE:
                    return m.end()
                break
    return None


#: After an apposition and its cue, what is said ("Ana Ruiz, the mayor, said the ferry ...")
#: rather than who says it ("The ferry stays, said Tom Berg, the mayor."): three words or more,
#: the first not capitalised.
_TELLS = re.compile(r"\s+[a-z][\w’'-]*(?:\s+[\w’'-]+){2,}")
#: A speaker named after the cue (", said Jane Smith", ", says the mayor").
_TAIL_END = re.compile(
    r",[”\"’]?\s+(?:[\w.’'-]+\s+){1,6}?(?:said|says|added|adds|told|wrote|argued|noted|explained)"
    r"(?:\s+(?:on|in|at|last|this|earlier|later|during)\b[^,;:“”\"]{0,60})?[.!?]?[”\"’]*\s*$"
)
_SPEAKER_AFTER = re.compile(
    r"\s+(?:[A-Z]|(?:the|a|an|one|another|two|three|several|many|some)\b|"
    r"(?:former|then|acting|retired|longtime|veteran|senior|chief|deputy|political|state)\s+"
    r"(?:[a-z][\w-]*\s+){0,3}[A-Z])"
)
#: A name and a verb after the cue: what was said ("..., said Ruiz had misled the council"),
#: not who said it.
_NAME_CLAUSE = re.compile(
    r"\s+(?:[A-Z][\w.’'-]*\s+){1,4}(?:had|has|have|was|were|is|are|would|will|could|should|did|does|"
    r"do|may|might|can|must|[a-z]+ed|[a-z]{3,}s)\b"
)
#: The same with a noun phrase and an auxiliary ("..., said the ferry would ...", "said Ruiz didn't").
_NP_CLAUSE = re.compile(
    r"\s+(?:[A-Z][\w.’'-]*|the|a|an|his|her|their|its)(?:\s+[\w.’'-]+){0,4}?\s+(?:[a-z]+n[’']t|had|has|have|was|were|"
    r"is|are|would|will|could|should|did|does|may|might|must)\b"
)
#: What a clause, not a speaker, starts with.
_LOWER_CLAUSE = re.compile(r"\s+(?:he|she|they|it|we|i|that|there)\b", re.I)
#: "..., told the group that ...": an audience, then what was said.
_TOLD_THAT = re.compile(r"\s+(?:[\w’'.-]+\s+){1,5}that\b")
#: What may follow "SPEAKER CUE" at the end of a sentence: nothing, or a time, a place, a manner.
_ADJUNCT = re.compile(
    r"\s*(?:(?:on|in|at|during|of|about|to|after|before|last|this|late|early|earlier|later|"
    r"recently|yesterday|today|tonight|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"when|while|as|through|via|by|with|from|afterward|afterwards|again|then)\b[^“”\"]*)?"
    r"[.!?]?[”\"’]*\s*$"
)
#: Cue words that report only before "that", a comma or a colon ("reports that ...").
_ONLY_BEFORE_THAT = frozenset("reports charges posted pointed answers continues continued".split())
_APPOSITION = re.compile(r"\s*[A-Z][\w.’'-]*(?:\s+(?:of\s+|from\s+)?[A-Z][\w.’'-]*){0,4},[^,]{3,120},\s*$")


#: A time or place between the cue and "that" ("said on Monday that", "said last week that").
_WHEN_THAT = re.compile(
    r"\s*(?:(?:(?:on|in|at|during|last|this|late|early)\s+[\w’'-]+(?:\s+[\w’'-]+){0,3}?"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|recently|earlier|later)"
    r"\s*,?\s*)?(?=that\b)"
)


#: A time right after the cue, before what was said ("said Thursday his plan ...").
_WHEN_AFTER = re.compile(
    r"\s*(?:(?:on|last|this|earlier|late)\s+)?(?:(?:this|last)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|yesterday|today|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?,?\s+(?=[a-z]|[A-Z][a-z]+\s+[a-z])"
)


def _looks_reporting(text: str, after: int, end: int) -> bool:
    return bool(re.match(r"\s*(?:that\b|,|:)", text[after:end]))

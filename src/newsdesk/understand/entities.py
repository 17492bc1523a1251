"""Who and what an article names: people, organisations and places, each with its mentions and a
name that joins them, and the figures it gives (dates, money, percentages, quantities).

- **Names** come from a small linear-chain CRF of our own (``models/entities.crfsuite``, trained by
  ``scripts/train_entities.py`` on GUM's Wikinews documents) over word shape, affixes,
  capitalisation, a few word lists and the words around; it reads English only. The model is
  loaded on first use, so importing this module (or newsdesk) loads neither it nor crfsuite.
- **Joining within an article** (``Entity.name``): a person's shorter forms join the longest form
  they begin or end ("Joe Biden", "President Biden", "Biden" are one person; titles are not part of
  a name); an organisation's acronym joins the name it abbreviates ("European Central Bank",
  "ECB"); places join by exact name. A form the model typed differently from a person's surname
  joins the person. "the president" joins the one person the article titles so, when only one is.
- **Across articles**: ``canonical_key`` (type and normalised name) is what a store can join on.
  Its limits: two people of one name are one key; an article that only ever says "Biden" gives
  another key than one that says "Joe Biden"; an acronym-only organisation ("NATO") is not its
  spelled-out name; no aliases ("UK" is not "United Kingdom").
- **Figures** (``find_figures``) are rules: money, percentages, dates and numbers with units.

Invariant: every offset is a character offset into the text given, ``text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from .._stopwords import STOP_WORDS
from .._text import fold
from ..model import Span

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "MODEL_PATH",
    "Entity",
    "EntityType",
    "Figure",
    "FigureKind",
    "Mention",
    "canonical_key",
    "find_entities",
    "find_figures",
    "name_core",
    "token_features",
    "tokenise",
]

#: The shipped model (crfsuite's own file format: weights and labels, no code).
MODEL_PATH = Path(__file__).with_name("models") / "entities.crfsuite"


class EntityType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    #: A people, a nationality or a faith ("Israelis", "Russian", "Muslims"; OntoNotes' NORP):
    #: named as news names people, but no one person or organisation, so no quote's speaker.
    GROUP = "group"


class FigureKind(StrEnum):
    DATE = "date"
    MONEY = "money"
    PERCENT = "percent"
    QUANTITY = "quantity"


#: Where an article names an entity (``text == article[start:end]``): the record the desk stores.
Mention = Span


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, organisation or place of an article, with every mention that names it."""

    #: The fullest form the article gives (titles left out): what joins its mentions.
    name: str
    type: EntityType
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A date, sum of money, percentage or quantity, with a normalised ``value`` where one is cheap:
    ``2015-08-21`` (or ``2015-08``, ``2015``), ``USD 4500000``, ``3.2`` (percent), ``200 km``."""

    kind: FigureKind
    text: str
    start: int
    end: int
    value: str | None


# -- tokens and their features (shared with scripts/train_entities.py) ----------------------------

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*|['’][sS]\b|\S")

#: Words that stand before a name and are not part of it.
TITLES = frozenset(
    "mr mrs ms dr prof sir dame president senator sen governor gov minister chancellor premier king "
    "queen prince princess pope judge justice general gen colonel col captain capt lt lieutenant "
    "sergeant sgt rep representative mayor secretary chairman chairwoman ceo director professor rev "
    "reverend ambassador commissioner chief detective inspector coach spokesman spokeswoman".split()
)
#: Generational suffixes after a name ("Martin Luther King Jr.", "Henry Ford II"): part of the
#: name and of its key, but not its surname ("Downey" is Robert Downey Jr.), and the word before
#: one is a name, not a title ("King" of "Martin Luther King Jr.").
_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
_ORG_WORDS = frozenset(
    "inc corp corporation co ltd llc plc company group bank agency university college school "
    "institute association council committee commission party ministry department office union "
    "federation foundation society league club team church board authority court police army "
    "navy force forces news times post press service services organization organisation network "
    "airlines airways museum hospital centre center parliament congress senate assembly fund herald "
    "journal tribune gazette magazine telegraph guardian daily reuters bbc cnn nasa".split()
)
_PLACE_WORDS = frozenset(
    "city county state province river lake mountain mountains island islands street road avenue "
    "square park valley bay sea ocean beach district region airport station bridge".split()
)
#: Countries, their parts and large cities (one word each: "new" of "New Zealand" is not a place).
_PLACES = frozenset(
    "afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan "
    "bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana "
    "brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia congo "
    "croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini "
    "ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea "
    "guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica "
    "japan jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon "
    "lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali "
    "malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco "
    "mozambique myanmar burma namibia nauru nepal netherlands nicaragua niger nigeria norway oman "
    "pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia "
    "rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname "
    "sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey "
    "turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia "
    "zimbabwe england scotland wales britain europe asia africa america antarctica oceania "
    "alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho "
    "illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota "
    "mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas "
    "utah vermont virginia washington wisconsin wyoming ontario quebec alberta queensland victoria "
    "tasmania bavaria siberia crimea gaza kashmir tibet catalonia london paris berlin madrid rome "
    "moscow beijing shanghai tokyo seoul delhi mumbai karachi lagos cairo nairobi johannesburg sydney "
    "melbourne toronto vancouver montreal chicago boston atlanta houston dallas miami seattle denver "
    "detroit philadelphia baghdad tehran kabul damascus beirut jerusalem istanbul ankara athens vienna "
    "prague warsaw budapest brussels amsterdam geneva zurich dublin edinburgh manchester liverpool "
    "birmingham glasgow stockholm oslo copenhagen helsinki lisbon barcelona milan naples kyiv kiev "
    "minsk bangkok jakarta manila hanoi singapore dhaka kathmandu islamabad lahore riyadh dubai doha "
    "mexico havana lima bogota caracas santiago quito brasilia rio buenos aires auckland wellington "
    "canberra perth adelaide brisbane hong kong".split()
)
#: Words for the people of a country, region or faith ("Israeli", "Russians"): news writes them as
#: names, and GUM annotates them as entities (so the model keeps them), but they name no one
#: person or organisation: no quote's speaker is one, nor the "he" of a sentence.
_DEMONYMS = frozenset(
    "afghan albanian algerian american angolan argentine argentinian armenian australian austrian "
    "azerbaijani bahraini bangladeshi belarusian belgian bolivian bosnian brazilian british briton "
    "bulgarian burmese cambodian cameroonian canadian chadian chilean chinese colombian congolese "
    "croatian cuban cypriot czech danish dutch ecuadorian egyptian emirati english eritrean "
    "estonian ethiopian european filipino finnish french georgian german ghanaian greek "
    "guatemalan haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli "
    "italian ivorian jamaican japanese jordanian kazakh kenyan korean kosovar kurdish kuwaiti kyrgyz "
    "lao latvian lebanese liberian libyan lithuanian macedonian malagasy malawian malaysian malian "
    "maltese mauritanian mexican moldovan mongolian montenegrin moroccan mozambican namibian nepali "
    "nepalese nicaraguan nigerian nigerien norwegian omani pakistani palestinian panamanian "
    "paraguayan persian peruvian polish pole portuguese qatari romanian russian rwandan saudi "
    "scottish senegalese serbian serb singaporean slovak slovenian somali spanish spaniard "
    "sudanese swedish swede swiss syrian taiwanese tajik tanzanian thai tibetan tunisian turkish "
    "turk turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian "
    "zimbabwean african asian arab arabian latin western eastern northern southern "
    "muslim jewish jew hindu sikh buddhist catholic protestant sunni shia shiite "
    "pro-russian pro-western".split()
)


@functools.lru_cache(maxsize=4096)
def demonym(name: str) -> bool:
    """Whether a name is a people's adjective or its plural, perhaps after a word of quantity
    ("Israeli", "Russians", "Arab Israeli", "Many Palestinians"), not one person or organisation
    ("American Airlines" and "Jewish Agency" are names)."""
    words = _without_quantity(name).casefold().split()
    return bool(words) and all(_one_of(w) in _DEMONYMS for w in words)


_HOW_MANY = frozenset(
    "a an one another each every many some most few several all the other fellow young ordinary".split()
)


def _without_quantity(name: str) -> str:
    """A people's name without the words of quantity before it ("Many Israelis": Israelis)."""
    words = name.split()
    while len(words) > 1 and words[0].casefold() in _HOW_MANY:
        words = words[1:]
    return " ".join(words)


def _one_of(word: str) -> str:
    """A people's word in the singular ("israelis": israeli), so that "Israelis" and "Israeli"
    are one group across articles (and ``demonym`` knows the plural); a word that is not a
    people's stays."""
    for end in ("s", "es"):
        if word.endswith(end) and word[: -len(end)] in _DEMONYMS:
            return word[: -len(end)]
    return word


_PLACE_CUES = frozenset("in at from near to across into outside inside around throughout".split())
_PERSON_CUES = frozenset("said says told according asked added explained wrote".split())
_FIRST_NAMES = frozenset(
    "james john robert michael william david richard joseph thomas charles christopher daniel "
    "matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald "
    "edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon "
    "benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam "
    "henry nathan douglas zachary peter kyle walter ethan jeremy harold keith christian roger noah "
    "gerald carl terry sean austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert "
    "willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby "
    "philip johnny mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy "
    "lisa betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa "
    "deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda "
    "pamela nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria "
    "heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith "
    "megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean "
    "alice madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa "
    "sophia marie diana brittany natalie isabella charlotte rose alexis kayla hillary barack vladimir "
    "angela emmanuel boris xi narendra recep justin jacinda olaf mohammed mohamed muhammad ahmed ali "
    "hassan ibrahim omar yusuf fatima aisha wei li ming hiroshi yuki kim jean pierre francois marie "
    "hans klaus juan carlos luis miguel pedro sergei dmitry ivan olga".split()
)
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_WORDS = frozenset(_MONTHS) | frozenset(m[:3] for m in _MONTHS) | {"sept"}
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_PRONOUNS = frozenset("i i'm i've i'd i'll you we he she they it me us him them".split())
_SENTENCE_END = frozenset('.?!:"”')


def tokenise(text: str) -> list[tuple[int, int]]:
    """The character spans of the text's tokens: words (with inner apostrophes), acronyms with
    dots ("U.S."), a possessive ``'s``, and single characters of punctuation."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    out: list[str] = []
    for c in word:
        s = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)[:6]


_OFFSETS = (-2, -1, 1, 2)


@functools.lru_cache(maxsize=1 << 16)
def _word_features(
    word: str,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """What a word gives the CRF whatever its neighbours: its own features (the first six, then its
    flags), and those it gives a token at each of ``_OFFSETS`` from it: the same strings in the
    same order ``token_features`` always made (crfsuite numbers attributes as it first meets them,
    so the order shapes the model file), cached since news repeats its words (a third of the time
    of tagging was spent remaking them)."""
    lw = word.lower()
    shape = _shape(word)
    base = ("b", "w=" + lw, "sh=" + shape, "p3=" + lw[:3], "s3=" + lw[-3:], "s2=" + lw[-2:])
    own = []
    if word.isupper() and len(word) > 1:
        own.append("upper")
    title, org, first, place = lw in TITLES, lw in _ORG_WORDS, lw in _FIRST_NAMES, lw in _PLACES
    for flag, name in (
        (title, "title"),
        (org, "orgword"),
        (lw in _PLACE_WORDS, "placeword"),
        (place, "placename"),
        (lw in _PRONOUNS, "pronoun"),
        (first, "first"),
        (lw in _MONTH_WORDS or lw in _WEEKDAYS, "dateword"),
    ):
        if flag:
            own.append(name)
    around = []
    for d in _OFFSETS:
        f = [f"{d}w={lw}", f"{d}sh={shape}"]
        if title:
            f.append(f"{d}title")
        if org:
            f.append(f"{d}orgword")
        if (d == -1 or d == 1) and first:
            f.append(f"{d}first")
        if (d == -1 or d == 1) and place:
            f.append(f"{d}placename")
        around.append(tuple(f))
    return base, tuple(own), tuple(around)


def token_features(text: str, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The CRF's features of each token (crfsuite's string attributes)."""
    words = [text[a:b] for a, b in spans]
    lowers = [w.lower() for w in words]
    seen_lower = {w for w in words if w.islower()}
    starts: list[bool] = []
    for i, (a, _) in enumerate(spans):
        prev_end = spans[i - 1][1] if i else 0
        after_end = i > 0 and words[i - 1] in _SENTENCE_END
        if after_end and words[i - 1] == "." and i > 1:  # "J. Lucero", "Dr. Smith": no sentence end
            before = words[i - 2]
            after_end = not ((len(before) == 1 and before.isupper()) or before.lower() in TITLES)
        starts.append(i == 0 or after_end or "\n" in text[prev_end:a])
    n = len(words)
    parts = [_word_features(w) for w in words]
    said = [0]  # said[k]: person cues among the first k tokens
    for lw in lowers:
        said.append(said[-1] + (lw in _PERSON_CUES))
    edges = [(f"{d}edge",) for d in _OFFSETS]
    out: list[list[str]] = []
    for i, w in enumerate(words):
        lw = lowers[i]
        base, flags, _ = parts[i]
        f = list(base)
        if w[:1].isupper():
            f.append("cap")
            if starts[i]:
                f.append("cap_start")
            if lw in seen_lower:
                f.append("cap_seen_lower")
        f.extend(flags)
        if starts[i]:
            f.append("start")
        for k, d in enumerate(_OFFSETS):
            j = i + d
            f.extend(parts[j][2][k] if 0 <= j < n else edges[k])
        if i and lowers[i - 1] in _PLACE_CUES:
            f.append("after_place_cue")
        if said[min(n, i + 4)] - said[max(0, i - 3)] - (lw in _PERSON_CUES) > 0:
            f.append("near_said")
        if i:
            f.append(f"bi={lowers[i - 1]}|{lw}")
        out.append(f)
    return out


# -- the model -------------------------------------------------------------------------------------


class _Tagger:
    """crfsuite's tagger behind a lock (one tagger is not safe to share between threads)."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        if not path.is_file():
            raise FileNotFoundError(
                f"the entities model is missing: {path} (scripts/train_entities.py writes it)"
            )
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._lock = threading.Lock()

    def tag(self, features: list[list[str]]) -> list[str]:
        with self._lock:
            return list(self._tagger.tag(features))


@functools.cache
def _tagger(path: Path = MODEL_PATH) -> _Tagger:
    return _Tagger(path)


_LABEL_TYPES = {"PER": EntityType.PERSON, "ORG": EntityType.ORGANISATION, "LOC": EntityType.PLACE}


def label_spans(
    text: str, spans: Sequence[tuple[int, int]], labels: Sequence[str]
) -> list[tuple[int, int, EntityType]]:
    """BIO labels (``B-PER``, ``I-ORG``, ``O``) read as character spans of ``text``; an ``I`` after
    another type or ``O`` opens a span, punctuation other than ``.``, ``-`` and ``&`` closes one, and
    a span ends on a letter or digit (or a dot: "Inc.")."""
    out: list[tuple[int, int, EntityType]] = []
    cur: list[int | EntityType] | None = None
    for (a, b), label in zip(spans, labels, strict=True):
        prefix, _, kind = label.partition("-")
        if (
            prefix == "O"
            or kind not in _LABEL_TYPES
            or (b - a == 1 and not text[a].isalnum() and text[a] not in ".-&")
        ):
            cur = None
            continue
        etype = _LABEL_TYPES[kind]
        if prefix == "I" and cur is not None and cur[2] == etype:
            cur[1] = b
            out[-1] = (int(cur[0]), b, etype)
            continue
        cur = [a, b, etype]
        out.append((a, b, etype))
    trimmed = []
    for a, b, t in out:
        while b > a and text[b - 1] in "-&":
            b = len(text[: b - 1].rstrip())
        while a < b and not text[a].isalnum():
            a += 1
        if b > a:
            trimmed.append((a, b, t))
    return trimmed


# -- joining mentions into entities ----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "&", "de", "in", "on"})


def _name_span(text: str) -> tuple[int, int]:
    """Where a mention's name lies in it: without a leading "the", titles ("Prime Minister",
    "President", everything up to the last title word but one at least) or a possessive."""
    words = [m for m in _WORD.finditer(text) if m.group().casefold() not in {"s"}]
    keep = 0
    for i, w in enumerate(words[: -1 - _suffixed(words)]):
        lw = w.group().casefold().rstrip(".")
        if lw in TITLES or (i == keep and lw == "the"):
            keep = i + 1
    words = words[keep:]
    if not words:
        return 0, 0
    end = words[-1].end()
    for suffix in ("'s", "’s"):
        if text[:end].endswith(suffix):
            end -= 2
    return words[0].start(), end


def _suffixed(words: Sequence[str | re.Match[str]]) -> bool:
    """Whether a name of two words or more ends in a generational suffix ("Jr.", "III")."""
    if len(words) < 2:
        return False
    last = words[-1]
    return (last if isinstance(last, str) else last.group()).casefold().rstrip(".") in _NAME_SUFFIXES


def name_core(form: tuple[str, ...]) -> tuple[str, ...]:
    """A person's name (casefolded words) without its generational suffix: what its shorter forms
    are the start or the end of ("Robert Downey" and "Downey" of "Robert Downey Jr")."""
    return form[:-1] if _suffixed(form) else form


def _same_person(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """Whether a person's shorter form may be a longer one's: one is the other's first or last
    words, their suffixes aside, unless both have suffixes and they differ (a father and his son,
    "Martin Luther King Sr." and "Martin Luther King Jr.")."""
    if _suffixed(long) and _suffixed(short) and long[-1] != short[-1]:
        return False
    return _contains(name_core(long), name_core(short))


def _form(text: str) -> tuple[str, ...]:
    """A mention's name as casefolded words (see ``_name_span``)."""
    a, b = _name_span(text)
    return tuple(w.casefold() for w in _WORD.findall(text[a:b]))


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    return long[: len(short)] == short or long[-len(short) :] == short


def _acronym(name: tuple[str, ...]) -> str:
    return "".join(w[0] for w in name if w not in _ACRONYM_SKIP)


@dataclass
class _Group:
    type: EntityType
    form: tuple[str, ...]
    text: str
    mentions: list[Mention]


def _join(text: str, found: list[tuple[int, int, EntityType]]) -> list[_Group]:
    # one type per surface form: the article's majority (the model may type one name two ways)
    votes: dict[tuple[str, ...], Counter[EntityType]] = {}
    for a, b, t in found:
        votes.setdefault(_form(text[a:b]), Counter())[t] += 1
    typed = [(a, b, votes[_form(text[a:b])].most_common(1)[0][0]) for a, b, _ in found]
    forms: dict[tuple[str, ...], tuple[EntityType, str]] = {}
    for a, b, t in typed:
        f = _form(text[a:b])
        if f and f not in forms:
            forms[f] = (t, text[a:b])
    # longest forms first: each shorter form joins the group it begins or ends
    groups: list[_Group] = []
    by_form: dict[tuple[str, ...], _Group] = {}
    persons_last: dict[str, list[_Group]] = {}
    for f, (t, surface) in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        target: _Group | None = None
        if t is EntityType.PERSON:
            fits = [g for g in groups if g.type is EntityType.PERSON and _same_person(g.form, f)]
            core = name_core(f)
            surnames = [g for g in fits if name_core(g.form)[-len(core) :] == core]
            if len(fits) == 1 or len(surnames) == 1:
                target = fits[0] if len(fits) == 1 else surnames[0]
        elif t is EntityType.ORGANISATION and len(f) == 1 and surface.isupper() and len(surface) > 1:
            fits = [g for g in groups if g.type is t and len(g.form) > 1 and _acronym(g.form) == f[0]]
            if len(fits) == 1:
                target = fits[0]
        if target is None and len(f) == 1:  # a person's surname the model typed otherwise
            fits = persons_last.get(f[0], [])
            if len(fits) == 1 and t is not EntityType.PERSON and f[0] not in _PLACES:
                target = fits[0]
        if target is None:
            target = _Group(t, f, surface, [])
            groups.append(target)
            if t is EntityType.PERSON and len(name_core(f)) > 1:
                persons_last.setdefault(name_core(f)[-1], []).append(target)
        by_form[f] = target
    for a, b, _ in typed:
        f = _form(text[a:b])
        if f:
            by_form[f].mentions.append(Mention(text[a:b], a, b))
    _titled(text, groups)
    return groups


_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")


def _titled(text: str, groups: list[_Group]) -> None:
    """Add "the president" to the one person the article titles President, when only one is."""
    titled: dict[str, list[_Group]] = {}
    for g in groups:
        if g.type is not EntityType.PERSON:
            continue
        seen = set()
        for m in g.mentions:
            word = m.text.split()[0].casefold().rstrip(".")
            before = _TITLE_BEFORE.search(text, max(0, m.start - 20), m.start)
            for cand in (word, before.group(1).casefold() if before else ""):
                if cand in TITLES and cand not in seen:
                    seen.add(cand)
                    titled.setdefault(cand, []).append(g)
    taken = [(m.start, m.end) for g in groups for m in g.mentions]
    for title, owners in titled.items():
        if len(owners) != 1 or len(title) < 3:
            continue
        for hit in re.finditer(rf"\b[Tt]he {re.escape(title)}\b", text):
            after = len(text) - len(text[hit.end() :].lstrip())  # "the mayor Ann Lee": her title
            if not any((a < hit.end() and hit.start() < b) or a == after for a, b in taken):
                owners[0].mentions.append(Mention(hit.group(), hit.start(), hit.end()))


#: Role words before a person's name that the model's own title list (``TITLES``, a feature it was
#: trained with) leaves in a name: "Manager Bastian Crewe" is Bastian Crewe.
_ROLES = frozenset(
    "manager executive head leader officer spokesperson chair chairperson deputy vice acting "
    "interim former senior assistant founder owner economist analyst striker defender goalkeeper "
    "midfielder winger forward skipper boss minister secretary".split()
)
#: Last words of organisations' names ("Kestrel Chamber", "Calder Peak Partners", "Estervale
#: Rovers") and first or last words of places' ("Port Aldane", "Veyra Point"): no person is
#: called that, so a name the model typed as a person with one of them is not a person.
_ORG_TAILS = _ORG_WORDS | frozenset(
    "chamber trust partners holdings terminals rovers athletic united wanderers ferries express "
    "motors systems technologies semiconductors minerals mutual cloud labs capital ventures "
    "industries insurance energy media studios records games software pharmaceuticals "
    "hall observatory coatings recycling logistics shipping construction engineering "
    "telecom telecoms".split()
)
_PLACE_HEADS = frozenset("port mount lake fort cape".split())
#: First words of places' names of two or three words ("New Jersey", "San Francisco", "Los
#: Angeles"); in a longer "name" they begin a description ("New York Democrat Jerrold Nadler"),
#: and before "-er" a people ("New Zealander").
_SHORT_PLACE_HEADS = frozenset("new san santa los las".split())
_PLACE_TAILS = _PLACE_WORDS | frozenset(
    "point cross heights harbour port springs falls road lane archipelago quay pier gardens estate "
    "ground".split()
)


#: Seats of government that stand for it ("the Kremlin said", "White House officials"): the
#: model reads them as people or places; as speakers and in a story they are the institution.
_INSTITUTIONS = frozenset(
    {("kremlin",), ("white", "house"), ("pentagon",), ("downing", "street"), ("elysee",), ("whitehall",)}
) | frozenset(
    # Movements and armed groups news names by one word, with nothing in the name to say it is
    # an organisation (on 615 real articles "Hamas" was a person of 13 articles and 13 quotes).
    (w,)
    for w in "hamas hezbollah hizbollah taliban fatah isis isil daesh al-qaeda al-shabaab houthis".split()
)
#: One country, one organisation under the names news gives it: the name the desk shows, by the
#: folded forms that mean it ("U.S." and "America" are the United States).
_ALIASES: dict[tuple[str, ...], tuple[str, EntityType]] = {
    **dict.fromkeys(
        [
            ("us",),
            ("u", "s"),
            ("u.s",),
            ("usa",),
            ("u.s.a",),
            ("america",),
            ("united", "states", "of", "america"),
        ],
        ("United States", EntityType.PLACE),
    ),
    **dict.fromkeys(
        [("uk",), ("u.k",), ("britain",), ("great", "britain"), ("united", "kingdom")],
        ("United Kingdom", EntityType.PLACE),
    ),
    **dict.fromkeys([("uae",), ("u.a.e",)], ("United Arab Emirates", EntityType.PLACE)),
    **dict.fromkeys([("un",), ("u.n",)], ("United Nations", EntityType.ORGANISATION)),
    **dict.fromkeys([("eu",), ("e.u",)], ("European Union", EntityType.ORGANISATION)),
}


#: Words of an office's name after its title ("Secretary of State", "Minister for Foreign
#: Affairs", "Chief of Staff"): part of the role, not of the name that follows it.
_OFFICES = frozenset(
    "state defense defence foreign affairs interior home health treasury finance justice homeland "
    "security commerce energy education labor labour transport transportation agriculture trade "
    "staff exchequer".split()
)


def _person_name(name: str) -> str:
    """A person's name without the role before it: "Manager Bastian Crewe" is Bastian Crewe, "U.S.
    Secretary of State Antony Blinken" is Antony Blinken."""
    words = name.split()
    keep = 0
    in_role = True  # (what a title stripped before left: "of State Antony Blinken")
    for i, w in enumerate(words[: -1 - _suffixed(words)]):
        lw = w.casefold().rstrip(".")
        if lw in _ROLES or lw in TITLES:
            keep, in_role = i + 1, True
        elif in_role and (w.islower() or lw in _OFFICES):
            keep = i + 1  # "of", "for", "State", "Foreign Affairs" after the title
        else:
            in_role = False
    return " ".join(words[keep:])


def _retyped(name: str, etype: EntityType) -> EntityType:
    """A name the model typed as a person whose words say it is an organisation or a place."""
    if etype is not EntityType.PERSON:
        return etype
    words = [w.casefold() for w in _WORD.findall(name)]
    if not words:
        return etype
    if words[-1] in _ORG_TAILS:
        return EntityType.ORGANISATION
    if len(words) > 1 and (
        words[0] in _PLACE_HEADS
        or words[-1] in _PLACE_TAILS
        or (words[0] in _SHORT_PLACE_HEADS and len(words) <= 3 and not words[-1].endswith(("er", "ers")))
    ):
        return EntityType.PLACE
    return etype


def _with_initials(text: str, spans: Sequence[tuple[int, int]], labels: list[str]) -> list[str]:
    """A middle initial and its dot inside a person's name, and the surname after them ("George
    W. Bush", "Michael J. Fox"): the model ends the name at the initial and starts another at the
    surname ("George W" and "Bush")."""
    for i in range(1, len(labels) - 2):
        a, b = spans[i]
        if (
            labels[i] == "I-PER"
            and labels[i - 1] in ("B-PER", "I-PER")
            and b - a == 1
            and text[a].isupper()
            and text[b : spans[i + 1][1]] == "."
            and text[spans[i + 2][0]].isupper()
            and text[b + 1 : spans[i + 2][0]] == " "
        ):
            labels[i + 1] = "I-PER"
            if labels[i + 2] in ("O", "B-PER"):
                labels[i + 2] = "I-PER"
    return labels


#: Words that make a person's role or form of address, not a name: a "person" of these words only
#: ("Prime Minister", "Vice President", "Her Majesty") is nobody in particular.
_ROLE_WORDS = frozenset("prime vice first lady her his majesty highness excellency royal sheriff".split())


def _no_name(text: str, g: _Group) -> bool:
    """Whether a group the model found names no one: a person of role words only ("Foreign
    Secretary", "Her Majesty"), or one word that only ever opens a sentence and that the article
    also writes in lower case ("Officials said" beside "the officials": capitalised by its place,
    not as a name) or that is a function word ("More than 70 vendors ...", though the article never
    writes "more")."""
    words = [w.rstrip(".") for w in g.form]
    if g.type is EntityType.PERSON and all(
        w in TITLES or w in _ROLES or w in _ROLE_WORDS or w in _OFFICES for w in words
    ):
        return True
    if len(words) != 1 or not all(_opens_sentence(text, m.start) for m in g.mentions):
        return False
    word = re.sub(r"['’]s$", "", g.mentions[0].text.split()[-1]).rstrip(".")
    if word.lower() in STOP_WORDS:
        return True  # "More than 70 vendors ...": a function word names no one
    return word[:1].isupper() and re.search(rf"\b{re.escape(word.lower())}\b", text) is not None


def _opens_sentence(text: str, start: int) -> bool:
    """Whether a sentence or a line starts at ``start`` (as ``token_features`` tells one)."""
    before = text[max(0, start - 3) : start].rstrip(" \t\u00a0")
    return not before or before[-1] in _SENTENCE_END or before[-1] == "\n"


def find_entities(text: str, *, language: str | None = "en") -> list[Entity]:
    """The people, organisations and places ``text`` names, in order of first mention, each with
    its mentions in order. The model reads English: a text in another language has none (an empty
    list), as has a language of None (unknown)."""
    if not text or language is None or not language.lower().startswith("en"):
        return []
    spans = tokenise(text)
    if not spans:
        return []
    labels = _with_initials(text, spans, _tagger().tag(token_features(text, spans)))
    groups = _join(text, label_spans(text, spans, labels))
    entities = []
    for g in groups:
        if not g.mentions or _no_name(text, g):
            continue
        name = " ".join(g.text[slice(*_name_span(g.text))].split())
        form = tuple(w.casefold() for w in _WORD.findall(fold(name)))
        etype = _retyped(name, g.type)
        if form in _INSTITUTIONS:
            etype = EntityType.ORGANISATION
        name, etype = _ALIASES.get(form, (name, etype))
        if etype is EntityType.PERSON:
            name = _person_name(name)
        if demonym(name):
            etype = EntityType.GROUP
            name = _without_quantity(name)
        entities.append(Entity(name, etype, tuple(sorted(g.mentions, key=lambda m: m.start))))
    return sorted(entities, key=lambda e: e.mentions[0].start)


def canonical_key(entity: Entity) -> str:
    """What joins one entity across articles: its type and its name, case, accents, punctuation
    and spacing folded (``person:joe biden``). See the module's docstring for its limits."""
    plain = fold(entity.name)
    words = _form(plain)
    if entity.type is EntityType.GROUP:
        words = tuple(_one_of(w) for w in words)
    return f"{entity.type.value}:{' '.join(words) or plain.strip()}"


# -- figures ---------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_SCALE_RE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|tn)\b|(?<=\d)[mbk]\b)"
_SYMBOLS = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
}
_CODES = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
}
_MONEY = re.compile(
    rf"(?P<sym>US\$|A\$|C\$|HK\$|\$|€|£|¥)\s?(?P<n>{_NUM})(?P<scale>{_SCALE_RE})?"
    rf"|\b(?P<n2>{_NUM})(?P<scale2>{_SCALE_RE})?\s(?P<code>dollars|euros|pounds|yen|USD|EUR|GBP)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?<![\w.])(?P<n>{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s)?"
_DATE = re.compile(
    rf"\b{_WEEKDAY_RE}(?P<m1>{_MONTH_RE})\s(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y1>\d{{4}}))?\b"
    rf"|\b{_WEEKDAY_RE}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<m2>{_MONTH_RE})(?:,?\s(?P<y2>\d{{4}}))?\b"
    rf"|\b(?P<m3>{_MONTH_RE})\s(?P<y3>\d{{4}})\b"
    r"|\b(?P<iso>\d{4}-\d{2}-\d{2})\b"
    r"|(?:(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bof )|(?<=\bfrom )|(?<=\bduring ))"
    r"(?P<y4>(?:1[89]|20)\d{2})\b(?![,.]?\d)"
)
_UNITS = {
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "m": "m",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
    "cm": "cm",
    "mm": "mm",
    "miles": "mi",
    "mile": "mi",
    "feet": "ft",
    "foot": "ft",
    "ft": "ft",
    "inches": "in",
    "kg": "kg",
    "kilograms": "kg",
    "kilogram": "kg",
    "tonnes": "t",
    "tonne": "t",
    "tons": "t",
    "km/h": "km/h",
    "kph": "km/h",
    "mph": "mph",
    "°c": "°C",
    "°f": "°F",
    "degrees": "degrees",
    "hectares": "ha",
    "acres": "acres",
    "litres": "l",
    "liters": "l",
    "gallons": "gal",
    "barrels": "barrels",
    "gb": "GB",
    "mb": "MB",
    "tb": "TB",
    "mw": "MW",
    "gw": "GW",
    "kwh": "kWh",
}
#: Every date begins with a capital (a weekday, a month) or a digit, every sum of money with a
#: currency sign, a code's capital or a digit: said first, the engine tries the alternatives only
#: there (ten times faster over news text, the same matches: bench/RESULTS.md "cost").
_DATE = re.compile(r"(?=[A-Z\d])(?:" + _DATE.pattern + ")", _DATE.flags)
_MONEY = re.compile(r"(?=[$€£¥AUCH\d])(?:" + _MONEY.pattern + ")", _MONEY.flags)
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.])(?P<n>{_NUM})(?:\s(?P<scale>thousand|million|billion))?\s?(?P<unit>{_UNIT_RE})(?![\w/])",
    re.IGNORECASE,
)


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def _plain(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _scale(s: str | None) -> float:
    return _SCALE.get((s or "").strip().lower(), 1.0)


def _month(s: str) -> int:
    return _MONTHS.index(next(m for m in _MONTHS if m.startswith(s.rstrip(".").lower()[:3]))) + 1


def _date_value(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["iso"]:
        return g["iso"]
    if g["y4"]:
        return g["y4"]
    month = g["m1"] or g["m2"] or g["m3"]
    day = g["d1"] or g["d2"]
    year = g["y1"] or g["y2"] or g["y3"]
    mm = _month(month)
    if day and not 1 <= int(day) <= 31:
        return None
    if year:
        return f"{year}-{mm:02d}" + (f"-{int(day):02d}" if day else "")
    return f"--{mm:02d}-{int(day):02d}" if day else None


def _figures(text: str) -> Iterator[Figure]:
    for m in _MONEY.finditer(text):
        n = m.group("n") or m.group("n2")
        cur = _SYMBOLS.get((m.group("sym") or "").lower()) or _CODES.get((m.group("code") or "").lower())
        amount = _number(n) * _scale(m.group("scale") or m.group("scale2"))
        yield Figure(FigureKind.MONEY, m.group(), m.start(), m.end(), f"{cur} {_plain(amount)}")
    for m in _PERCENT.finditer(text):
        yield Figure(FigureKind.PERCENT, m.group(), m.start(), m.end(), _plain(_number(m.group("n"))))
    for m in _DATE.finditer(text):
        yield Figure(FigureKind.DATE, m.group(), m.start(), m.end(), _date_value(m))
    for m in _QUANTITY.finditer(text):
        amount = _number(m.group("n")) * _scale(m.group("scale"))
        unit = _UNITS[m.group("unit").lower()]
        yield Figure(FigureKind.QUANTITY, m.group(), m.start(), m.end(), f"{_plain(amount)} {unit}")


def find_figures(text: str) -> list[Figure]:
    """The dates, sums of money, percentages and quantities (numbers with a unit) of ``text``, in
    order, none overlapping another: where two rules match, the longer match wins, then money over
    percentages over dates over quantities."""
    rank = {FigureKind.MONEY: 0, FigureKind.PERCENT: 1, FigureKind.DATE: 2, FigureKind.QUANTITY: 3}
    starts: list[int] = []  # the chosen, in order of the text (they never overlap)
    chosen: list[Figure] = []
    for f in sorted(_figures(text), key=lambda f: (-(f.end - f.start), rank[f.kind], f.start)):
        i = bisect.bisect_left(starts, f.start)
        if (i < len(chosen) and chosen[i].start < f.end) or (i and chosen[i - 1].end > f.start):
            continue
        starts.insert(i, f.start)
        chosen.insert(i, f)
    return chosen

"""A made-up newsroom of many outlets publishing in rounds: the workload of several collectors.

Each outlet has one RSS feed with full texts. Round by round its feed grows: first reports on a
set of events (several outlets cover each event in their own words, so they belong together as a
story but copy nobody), then syndicated copies of other outlets' reports (the same text with a
"Source link" to the original) and reports on new events, then follow-ups (new reports on the
first events) and corrections (a report's text changed at the same address: a new revision).

It is all generated from a seed, so a test or a benchmark can serve it on 127.0.0.1 and know what
a desk should end with: every report once, the corrected ones with two versions. Used by
``tests/test_collectors.py`` (several ``newsdesk update --watch`` processes on one store) and by
``bench/scale.py``.
"""

from __future__ import annotations

import dataclasses
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

_FIRST = "Ada Bram Cleo Dario Elin Farid Greta Hugo Ines Jonas Kaia Lars Mira Nils Oona Per".split()
_LAST = "Arnell Brask Corvin Dahlby Ekwall Fenner Grube Holm Isberg Jarl Kvist Lund Moberg Norrby".split()
_TOWN_A = "Ash Birch Cold Dun Elm Fair Glen Hart Iron Kings Long Mill North Oak Red Stone".split()
_TOWN_B = "ford haven bury mouth field wick stead port dale brook".split()
_SUBJECTS = (
    ("bridge", "span", "cables", "engineers", "repairs"),
    ("hospital", "ward", "nurses", "patients", "beds"),
    ("factory", "plant", "workers", "shifts", "orders"),
    ("school", "classrooms", "teachers", "pupils", "timetable"),
    ("harbour", "quay", "ferries", "crossings", "tides"),
    ("railway", "line", "trains", "signals", "timetables"),
    ("reservoir", "dam", "pumps", "water", "levels"),
    ("library", "archive", "readers", "volumes", "hours"),
    ("stadium", "stands", "fans", "tickets", "matches"),
    ("market", "stalls", "traders", "rents", "licences"),
    ("airport", "runway", "flights", "pilots", "slots"),
    ("forest", "trails", "rangers", "fires", "permits"),
)
_TEMPLATES = (
    "{actor}, who chairs the {town} council, said the {s0} would stay closed until the end of {month}.",
    "Officials in {town} confirmed that {n} {s3} were affected by the closure of the {s1}.",
    "According to {actor2}, the {s2} had warned about the state of the {s0} for years.",
    "The {s0} in {town} was built in {year} and last renovated two decades ago.",
    "{actor} told reporters that {n} million crowns had been set aside for the {s4}.",
    "Residents of {town} gathered outside the {s1} on Tuesday evening to ask for answers.",
    "A spokesperson for the {s2} said the {s4} could begin as early as next week.",
    "{actor2} added that the {s3} would be kept informed as the work went on.",
    "Inspectors found cracks in the {s1} during a routine visit, the council said.",
    "The closure of the {s0} has forced {s3} in {town} to look for other options.",
    "Local businesses warned that the {s0} being shut could cost them {n} million crowns.",
    "The regional government in {town} promised a review of how the {s0} is maintained.",
    "Union representatives for the {s2} called the delay in the {s4} unacceptable.",
    "{actor} said the safety of the {s3} came before any deadline for the {s1}.",
    "Photographs taken on Monday show scaffolding along the whole length of the {s1}.",
    "The {s4} will be paid for from an emergency fund, {actor2} confirmed.",
    "Opposition members in {town} asked why the warnings about the {s0} were ignored.",
    "Experts said a full assessment of the {s1} would take at least {n} weeks.",
    "The {s2} have been asked to work extra shifts while the {s0} is closed.",
    "A public meeting about the future of the {s0} is planned in {town} next month.",
    "{actor} and {actor2} are expected to visit the {s1} together on Friday.",
    "Traffic around the {s0} in {town} was diverted for most of the day.",
    "Figures from the council show {n} percent of the {s3} rely on the {s0} every week.",
    "The last major closure of the {s0} in {town} was in {year}, records show.",
)
_MONTHS = "January February March April May June July August September October November".split()
_FOLLOW_UP = (
    "{actor} said on Thursday that the first phase of the {s4} at the {s0} in {town} was complete.",
    "A week after the closure, the {s2} in {town} reported steady progress on the {s1}.",
    "The council in {town} published a timetable for reopening the {s0} to the {s3}.",
    "{actor2} told a meeting in {town} that the {s4} were ahead of schedule.",
    "Some {s3} said they were still waiting for clear answers about the {s0}.",
)
_CORRECTION = "Correction: an earlier version of this report gave the wrong date for the council meeting."

#: When the first round is published; each round is a day later.
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    town: str
    actor: str
    actor2: str
    subject: tuple[str, ...]
    n: int
    year: int
    month: str

    def sentence(self, template: str) -> str:
        s0, s1, s2, s3, s4 = self.subject
        return template.format(
            town=self.town,
            actor=self.actor,
            actor2=self.actor2,
            s0=s0,
            s1=s1,
            s2=s2,
            s3=s3,
            s4=s4,
            n=self.n,
            year=self.year,
            month=self.month,
        )


@dataclass(slots=True)
class Report:
    """One item of an outlet's feed: its address, title, time and paragraphs, and what it is."""

    url: str
    outlet: int
    event: int
    title: str
    published: datetime
    paragraphs: list[str]
    kind: str  # "report", "copy", "follow-up"
    copy_of: str | None = None
    revised_in: int | None = None

    def html(self) -> str:
        body = "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)
        if self.copy_of:
            body += f'<p><a href="{escape(self.copy_of)}">Source link</a></p>'
        return body


@dataclass(slots=True)
class Newsroom:
    """The outlets' feeds round by round, and what a desk must end with."""

    outlets: int
    rounds: list[list[Report]] = field(default_factory=list)
    #: (round, url) -> the paragraphs a report has from that round on (corrections).
    corrections: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def host(self, outlet: int) -> str:
        return f"outlet{outlet:03d}.example"

    def feed_path(self) -> str:
        return "/feed.xml"

    def feed_url(self, outlet: int, port: int) -> str:
        return f"http://{self.host(outlet)}:{port}{self.feed_path()}"

    def reports(self, upto: int) -> list[Report]:
        """Every report published by the end of round ``upto`` (0-based)."""
        return [r for rnd in self.rounds[: upto + 1] for r in rnd]

    def feed(self, outlet: int, upto: int, port: int) -> bytes:
        """The outlet's RSS feed as it is during round ``upto``: its reports so far, newest first,
        with links on this port and corrections made by then."""
        items = [r for r in self.reports(upto) if r.outlet == outlet]
        items.sort(key=lambda r: (r.published, r.url), reverse=True)
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
            f"<title>Outlet {outlet:03d}</title><link>http://{self.host(outlet)}:{port}/</link>",
            "<description>News from a made-up outlet</description>",
        ]
        for r in items:
            paragraphs = r.paragraphs
            for rnd in range(upto + 1):
                paragraphs = self.corrections.get((rnd, r.url), paragraphs)
            shown = dataclasses.replace(r, paragraphs=paragraphs)
            link = on_port(r.url, port)
            body = shown.html()
            if r.copy_of:
                body = body.replace(escape(r.copy_of), escape(on_port(r.copy_of, port)))
            parts.append(
                f"<item><title>{escape(r.title)}</title><link>{escape(link)}</link>"
                f'<guid isPermaLink="false">{escape(r.url)}</guid>'
                f"<pubDate>{format_datetime(r.published)}</pubDate>"
                f"<description>{escape(paragraphs[0])}</description>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
            )
        parts.append("</channel></rss>")
        return "\n".join(parts).encode("utf-8")

    def expected(self, port: int, upto: int | None = None) -> dict[str, int]:
        """Every report published by the end of round ``upto`` (None: the last), by its address on
        this port -> how many versions of its text a desk keeps by then."""
        last = len(self.rounds) - 1 if upto is None else upto
        versions = {on_port(r.url, port): 1 for r in self.reports(last)}
        for rnd, url in self.corrections:
            if rnd <= last:
                versions[on_port(url, port)] += 1
        return versions

    def opml(self, port: int) -> str:
        """Every outlet's feed, as a list a desk imports."""
        outlines = "".join(
            f'<outline type="rss" text="Outlet {o:03d}" xmlUrl="{self.feed_url(o, port)}"/>'
            for o in range(self.outlets)
        )
        return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'


def collector_env(data_dir: Path) -> dict[str, str]:
    """The environment of a ``newsdesk update --watch`` collecting the newsroom from 127.0.0.1:
    the outlets' hosts point there, every feed is fetched every 2-3 s, a lease lasts 4 s (so a
    killed collector's sources come back within seconds), nothing is archived."""
    settings = {
        "HOST_OVERRIDES": "*.example=127.0.0.1",
        "ALLOW_PRIVATE_ADDRESSES": "true",
        "PER_HOST_DELAY": "0",
        "MIN_UPDATE_INTERVAL": "2",
        "MAX_UPDATE_INTERVAL": "3",
        "DEFAULT_UPDATE_INTERVAL": "2",
        "SOURCE_LEASE": "4",
        "ARCHIVE": "false",
        "CONCURRENCY": "8",
        "READ_TIMEOUT": "5",
        "PROGRESS": "false",
        "DATA_DIR": str(data_dir),
    }
    return {**os.environ, **{f"NEWSDESK_{k}": v for k, v in settings.items()}}


def stored_versions(location: str) -> dict[str, int]:
    """Every article a store holds, by its address -> how many versions of its text it keeps."""
    from newsdesk.store import open_store

    store = open_store(location)
    try:
        return {a.article.url: len(store.revisions(a.id)) for a in store.iter_articles()}
    finally:
        store.close()


def on_port(url: str, port: int) -> str:
    return url.replace(".example/", f".example:{port}/", 1)


def _event(rng: random.Random, i: int) -> Event:
    def person() -> str:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    return Event(
        id=i,
        town=rng.choice(_TOWN_A) + rng.choice(_TOWN_B),
        actor=person(),
        actor2=person(),
        subject=_SUBJECTS[i % len(_SUBJECTS)],
        n=rng.randint(3, 90),
        year=rng.randint(1950, 1995),
        month=rng.choice(_MONTHS),
    )


def _paragraphs(rng: random.Random, event: Event, pool: tuple[str, ...], n: int) -> list[str]:
    chosen = rng.sample(pool, n)
    return [" ".join(event.sentence(t) for t in chosen[k : k + 2]) for k in range(0, n, 2)]


def build(outlets: int = 200, events: int = 40, seed: int = 7) -> Newsroom:
    """Three rounds: reports on half the events; copies of a quarter of those and reports on the
    other events; follow-ups on the first events and corrections of some first reports."""
    rng = random.Random(seed)
    room = Newsroom(outlets)
    all_events = [_event(rng, i) for i in range(events)]
    first, second = all_events[: events // 2], all_events[events // 2 :]
    serial = iter(range(1, 1 << 30))

    def report(outlet: int, ev: Event, rnd: int, kind: str, pool: tuple[str, ...], n: int) -> Report:
        num = next(serial)
        published = START + timedelta(days=rnd, minutes=7 * (num % 97))
        s0 = ev.subject[0]
        title = f"{ev.town} {s0}: {ev.actor} on the {ev.subject[4]} ({kind} {num})"
        url = f"http://{room.host(outlet)}/news/{rnd}/{num:05d}-{ev.town.lower()}-{s0}"
        return Report(url, outlet, ev.id, title, published, _paragraphs(rng, ev, pool, n), kind)

    # Round 0: each first event reported by a few outlets, each in its own words.
    order = list(range(outlets))
    rng.shuffle(order)
    writers = iter(order * 4)
    round0 = [report(next(writers), ev, 0, "report", _TEMPLATES, 8) for ev in first for _ in range(3)]
    # Round 1: copies of a quarter of round 0 by other outlets, and the second events reported.
    round1: list[Report] = []
    for orig in rng.sample(round0, len(round0) // 4):
        copier = rng.choice([o for o in range(outlets) if o != orig.outlet])
        num = next(serial)
        round1.append(
            Report(
                url=f"http://{room.host(copier)}/wire/{num:05d}",
                outlet=copier,
                event=orig.event,
                title=orig.title,
                published=orig.published + timedelta(days=1, hours=2),
                paragraphs=list(orig.paragraphs),
                kind="copy",
                copy_of=orig.url,
            )
        )
    round1 += [report(next(writers), ev, 1, "report", _TEMPLATES, 8) for ev in second for _ in range(3)]
    # Round 2: follow-ups on the first events, and corrections of a sixth of round 0.
    round2 = [report(next(writers), ev, 2, "follow-up", _FOLLOW_UP + _TEMPLATES[:10], 8) for ev in first]
    for r in rng.sample(round0, len(round0) // 6):
        room.corrections[(2, r.url)] = [*r.paragraphs, _CORRECTION]
        r.revised_in = 2
    room.rounds = [round0, round1, round2]
    return room

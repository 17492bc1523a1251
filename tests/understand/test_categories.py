"""understand/categories.py: the taxonomy, declared sections, the shipped model, a desk's learner,
a story's category. Every article here is written for these tests (no dataset text)."""

from __future__ import annotations

import pytest

from newsdesk.understand import categories
from newsdesk.understand.categories import (
    CATEGORIES,
    SECTION_ALIASES,
    TAXONOMY,
    Basis,
    CountModel,
    Params,
    SectionLearner,
    classify,
    default_model,
    from_section,
    story_category,
    train,
)


def test_the_taxonomy_is_fixed_and_every_alias_files_into_it() -> None:
    assert CATEGORIES == (
        "world",
        "politics",
        "business",
        "technology",
        "science",
        "health",
        "sport",
        "entertainment",
        "culture",
        "environment",
        "opinion",
        "local",
    )
    assert all(TAXONOMY[c].endswith(".") for c in CATEGORIES)
    assert {c for c in SECTION_ALIASES.values() if c is not None} == set(CATEGORIES)


@pytest.mark.parametrize(
    ("section", "url", "category"),
    [
        ("Sports", None, "sport"),
        ("sports", None, "sport"),
        ("Tech", None, "technology"),
        ("World News", None, "world"),
        ("Life & Style", None, "culture"),
        ("Food & Drink", None, "culture"),
        ("U.S. News", None, "local"),
        ("US news", None, "local"),
        ("Nation", None, "local"),
        ("UK News", None, "local"),
        ("UK", None, None),  # a country's name: home news in London, world news in Paris
        ("Comment is free", None, "opinion"),
        ("Opinion", None, "opinion"),
        ("Markets", None, "business"),
        ("Wellness", None, "health"),
        ("Comedy", None, "entertainment"),
        ("Climate change", None, "environment"),
        ("Wirtschaft", None, "business"),
        ("Économie", None, "business"),
        ("Deportes", None, "sport"),
        ("Medio ambiente", None, "environment"),
        ("Meinung", None, "opinion"),
        ("Cronaca", None, "local"),
        (None, "https://journal.example/international/article/2026/03/01/x", "world"),
        ("Apps", "https://paper.example/tech/2026/03/01/a-story", None),  # said, but not a category
        ("News", None, None),
        ("Kestrel Bay", None, None),
        (None, None, None),
        ("", "https://paper.example/sport/2026/03/01/a-story", "sport"),
        ("Kestrel Bay", "https://paper.example/business/2026/03/01/a-story", "business"),
        (None, "https://paper.example/news/uk-news/2026/03/01/a-story", "local"),
        (None, "https://paper.example/en/science/2026/a-story", "science"),
        (None, "https://paper.example/world-europe-12345678", None),  # no segment after it
        (None, "https://paper.example/news/world-europe-12345678/a", "world"),
        (None, "https://paper.example/about", None),
        (None, "https://paper.example/2026/03/01/a-story", None),
        # A section's slug and the article's number after a skipped segment; a page's name is not.
        (None, "https://paper.example/news/entertainment-arts-26929175", "entertainment"),
        (None, "https://paper.example/news/about", None),
        (None, "https://paper.example/news/story-12345", None),
        # "News" read off the URL (extraction's fallback, or a site whose every path starts so):
        # the rest of the path says more; "News" the page declares on a URL without it files nothing.
        ("news", "https://paper.example/news/world/americas/a-story-9205898.html", "world"),
        ("News", "https://paper.example/news/local-news/a-story", "local"),
        ("News", "https://paper.example/world/2026/a-story", None),
        ("Apps", "https://paper.example/apps/tech/a-story", "technology"),
    ],
)
def test_declared_sections_map_when_they_map_cleanly(
    section: str | None, url: str | None, category: str | None
) -> None:
    assert from_section(section, url) == category


OUR_ARTICLES = [
    (
        "Harbour City win the league on the last day with a stoppage-time goal",
        "The striker scored twice as the home team beat their rivals 3-1 in front of 40,000 fans, "
        "and the coach said the players had earned their medals after a long season.",
        "sport",
    ),
    (
        "Central bank raises interest rates as inflation stays high",
        "Markets fell and the currency rose after the bank lifted its benchmark rate; economists "
        "expect mortgage costs and company borrowing to climb.",
        "business",
    ),
    (
        "New smartphone chip promises a week of battery life",
        "The software update and the processor let the app run faster on older devices, the "
        "company said; privacy researchers asked about the data it collects.",
        "technology",
    ),
    (
        "Senate passes the budget bill after a late-night vote",
        "Democrats and Republicans traded blame as lawmakers sent the legislation to the president, "
        "with the governor's election campaign in full swing.",
        "politics",
    ),
    (
        "The actor's new film opens the festival to a standing ovation",
        "The director and the star walked the red carpet before the premiere; the album of the "
        "soundtrack tops the charts and a television series is planned.",
        "entertainment",
    ),
    (
        "Astronomers find water on a planet around a nearby star",
        "The telescope's spectra suggest an ocean beneath the ice, the scientists wrote in the "
        "journal; the discovery will guide the next space mission.",
        "science",
    ),
    (
        "Wildfires and drought: the summer's heatwave breaks records",
        "Climate scientists link the extreme weather to greenhouse gas emissions; forests burned "
        "and rivers ran dry as carbon pollution keeps rising.",
        "environment",
    ),
]


@pytest.mark.parametrize(("title", "text", "category"), OUR_ARTICLES, ids=[c for _, _, c in OUR_ARTICLES])
def test_the_shipped_model_files_plain_articles(title: str, text: str, category: str) -> None:
    found, confidence = classify(title, text)
    assert found == category
    assert 0.0 < confidence <= 1.0


def test_the_shipped_model_never_answers_what_no_topic_data_teaches() -> None:
    model = default_model()
    assert model.docs[model.classes.index("opinion")] == 0
    assert model.docs[model.classes.index("local")] == 0
    assert classify("", "").category in CATEGORIES


def test_a_model_is_deterministic_and_its_file_round_trips() -> None:
    examples = [(t, x, c) for t, x, c in OUR_ARTICLES]
    params = Params(bits=12)
    one = train(examples, params)
    two = train(list(reversed(examples)), params)  # order does not matter: counts add
    assert one.to_bytes() == two.to_bytes()
    back = CountModel.from_bytes(one.to_bytes())
    assert back.to_bytes() == one.to_bytes()
    assert back.params == params
    for title, text, _ in OUR_ARTICLES:
        assert back.predict(title, text) == one.predict(title, text)
    assert classify(*OUR_ARTICLES[0][:2]) == classify(*OUR_ARTICLES[0][:2])


def test_the_model_file_holds_arrays_only() -> None:
    import io
    import zipfile

    data = default_model().to_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["buckets.npy", "classes.npy", "counts.npy", "docs.npy", "format.npy", "params.npy"]


# A made-up desk: the Quayside Courier declares its sections, the Lanterne does not; the Courier's
# "Opinion" and "Nation" columns teach the desk two classes the shipped model never answers.
COURIER = [
    (
        "Opinion",
        "Why the ferry timetable is a scandal, and who should fix it",
        "I have waited too long on the quay.",
    ),
    ("Opinion", "Our councillors should listen before they build", "In my view the plan misreads the town."),
    (
        "Opinion",
        "Letters: the bypass, the library and the bins",
        "Sir, your columnist is wrong about the library.",
    ),
    ("Opinion", "The ferry scandal is a failure of nerve", "I argued last year that the quay needed a plan."),
    (
        "Nation",
        "Floods close the coast road at Marrowby",
        "Police closed the road after the river burst its banks.",
    ),
    ("Nation", "Marrowby school reopens after the floods", "Parents queued at the gates on Monday morning."),
    ("Nation", "Coast road at Marrowby reopens to traffic", "Council crews cleared the mud overnight."),
]


def test_the_learner_learns_a_desks_sections_and_files_the_undeclared() -> None:
    learner = SectionLearner()
    before = learner.classify(
        "Why the quay scandal needs a plan, in my view", "I have waited, as your columnist has."
    )
    assert before.category != "opinion"
    for section, title, text in COURIER:
        assert learner.learn_declared(title, text, section, "https://courier.example/x/2026/a") is not None
    assert learner.learned == {"opinion": 4, "local": 3}
    # the Lanterne declares nothing: filed by what the Courier taught
    assert (
        learner.classify(
            "Why the quay scandal needs a plan, in my view", "I have waited, as your columnist has."
        ).category
        == "opinion"
    )
    assert (
        learner.classify("Marrowby floods: the coast road closes again", "Police closed the road.").category
        == "local"
    )
    # what the desk has not taught still comes from the default
    assert learner.classify(*OUR_ARTICLES[0][:2]).category == "sport"
    filed = learner.file("Anything at all", "", section="Sport", url=None)
    assert filed == (("sport", 1.0, Basis.SECTION))
    filed = learner.file(
        "Marrowby floods: the coast road closes again", "Police closed the road.", section="News"
    )
    assert filed.category == "local" and filed.basis is Basis.LEARNED
    assert learner.learn_declared("A title", "", "News", None) is None
    with pytest.raises(ValueError, match="not a category"):
        learner.learn("A title", "", "weather")


def test_the_learner_does_not_depend_on_the_order_it_learns_in() -> None:
    base = train([(t, x, c) for t, x, c in OUR_ARTICLES], Params(bits=12))
    one, two = SectionLearner(base), SectionLearner(base)
    for section, title, text in COURIER:
        one.learn_declared(title, text, section, None)
    for section, title, text in reversed(COURIER):
        two.learn_declared(title, text, section, None)
    for _, title, text in COURIER:
        assert one.classify(title, text) == two.classify(title, text)


def test_a_story_takes_its_members_majority() -> None:
    assert story_category(["world", "politics", "world"]) == "world"
    assert story_category([None, "sport", None]) == "sport"
    assert story_category([]) is None
    assert story_category([None]) is None
    # a tie goes to the surer side when confidences are given ...
    assert story_category(["world", "politics"], [0.9, 0.6]) == "world"
    assert story_category(["world", "politics", "politics", "world"], [0.5, 0.9, 0.9, 0.5]) == "politics"
    # ... else to the category of the latest member
    assert story_category(["world", "politics"]) == "politics"
    assert story_category(["politics", "world", "world", "politics"]) == "politics"


def test_the_model_loads_lazily() -> None:
    """Importing the module reads no model; the first classify does (once per process)."""
    assert categories.default_model() is categories.default_model()


def test_every_label_extraction_maps_today_maps_the_same_here_but_analysis() -> None:
    """extract.py's CATEGORIES files declared sections until this module is wired in; the two
    agree except where docs/categories.md says why not ("Analysis" is reporting, not opinion)."""
    from newsdesk.extract import CATEGORIES as EXTRACT_CATEGORIES

    differ = {
        alias: (category, from_section(alias))
        for category, aliases in EXTRACT_CATEGORIES.items()
        for alias in aliases
        if from_section(alias) != category
    }
    assert differ == {"analysis": ("opinion", None)}


def test_docs_list_every_category_and_alias() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "categories.md").read_text(encoding="utf-8")
    for category, definition in TAXONOMY.items():
        assert f"| `{category}` | {definition} |" in doc, category
    table = doc.split("| category | labels and URL segments |", 1)[1].split("\n\n", 1)[0]
    rows = {line.split("|")[1].strip(" `"): line.split("|")[2] for line in table.splitlines()[2:]}
    for alias, category in SECTION_ALIASES.items():
        row = rows[category or "none (the model decides)"]
        assert alias in [a.strip() for a in row.split(",")], alias


# -- the weighting ------------------------------------------------------------------------------

WEIGHTINGS = [
    Params(bits=12, weighting="multinomial", alpha=0.3, prior_power=0.5),
    Params(bits=12, weighting="complement", alpha=0.3),
    Params(bits=12, weighting="one-versus-all", alpha=0.3),
]
DESK = [(title, text, {"Opinion": "opinion", "Nation": "local"}[section]) for section, title, text in COURIER]


def _scores(model: CountModel, title: str, text: str, learner: SectionLearner | None = None) -> list[float]:
    buckets, times = model.features(title, text)
    own = learner._own if learner is not None else None
    return [float(s) for s in model.scores(buckets, times, own)]


def test_one_versus_all_is_the_class_weights_plus_the_complement_weights() -> None:
    """A word's one-versus-all weight is its multinomial log share of the class less the log of
    its share of the other classes (the complement's), alone and with a desk's counts added."""
    examples = [(t, x, c) for t, x, c in OUR_ARTICLES]
    ova, own, complement = (
        train(examples, Params(bits=12, weighting=w, alpha=0.3))
        for w in ("one-versus-all", "multinomial", "complement")
    )
    learners = [SectionLearner(m) for m in (ova, own, complement)]
    for learner in learners:
        for title, text, category in DESK:
            learner.learn(title, text, category)
    for title, text, _ in OUR_ARTICLES + DESK:
        both = [
            a + b for a, b in zip(_scores(own, title, text), _scores(complement, title, text), strict=True)
        ]
        assert _scores(ova, title, text) == pytest.approx(both)
        with_desk = [
            a + b
            for a, b in zip(
                _scores(own, title, text, learners[1]),
                _scores(complement, title, text, learners[2]),
                strict=True,
            )
        ]
        assert _scores(ova, title, text, learners[0]) == pytest.approx(with_desk)


def test_a_class_complement_weights_are_the_other_classes_counts() -> None:
    """More records of one class change the other classes' complement weights, not its own (the
    multinomial weights of the class itself change)."""
    examples = [(t, x, c) for t, x, c in OUR_ARTICLES]
    science = [e for e in examples if e[2] == "science"]
    title, text = "Astronomers and the planet's star", "A telescope found it."
    for weighting in ("complement", "multinomial"):
        params = Params(bits=12, weighting=weighting, alpha=0.3)
        one, more = train(examples, params), train(examples + science * 3, params)
        i = one.classes.index("science")
        before, after = _scores(one, title, text), _scores(more, title, text)
        if weighting == "complement":
            assert after[i] == pytest.approx(before[i])
            others = [j for j, c in enumerate(one.classes) if c != "science" and one.docs[j] > 0]
            assert all(after[j] != pytest.approx(before[j]) for j in others)
        else:
            assert after[i] != pytest.approx(before[i])


@pytest.mark.parametrize("params", WEIGHTINGS, ids=lambda p: p.weighting)
def test_a_learner_scores_as_a_model_counted_on_the_same_articles(params: Params) -> None:
    """Counts add: the default plus a desk's articles (each weighing one record) scores exactly as
    a model counted on both, whatever the weighting."""
    examples = [(t, x, c) for t, x, c in OUR_ARTICLES]
    learner = SectionLearner(train(examples, params))
    learner.learn(*DESK[0])
    learner.classify(*DESK[0][:2])  # what it keeps of its counts must follow them
    for title, text, category in DESK[1:]:
        learner.learn(title, text, category)
    both = train(examples + DESK, params)
    for title, text, _ in OUR_ARTICLES + DESK + [("Why the quay scandal needs a plan", "In my view.", "")]:
        assert _scores(learner.base, title, text, learner) == pytest.approx(_scores(both, title, text))
        assert learner.classify(title, text).category == both.predict(title, text).category


def test_a_model_file_of_another_format_is_refused_saying_so() -> None:
    import io
    import zipfile

    data = train([(t, x, c) for t, x, c in OUR_ARTICLES], Params(bits=12)).to_bytes()
    older = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(older, "w") as zout:
        for name in zin.namelist():
            if name != "format.npy":  # as v1 wrote them
                zout.writestr(name, zin.read(name))
    with pytest.raises(ValueError, match=r"format newsdesk-categories-1.*scripts/train_categories\.py"):
        CountModel.from_bytes(older.getvalue())
    with pytest.raises(ValueError, match="weighting must be one of"):
        Params(weighting="bernoulli")

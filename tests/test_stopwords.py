"""The shared stop-word list leaves each stage's set as it was: copy detection and story clustering
had a list each (95dcd84), clustering's a superset of copy detection's; now both come from
``newsdesk._stopwords``, and their figures must not move because of it."""

from __future__ import annotations

from newsdesk import _stopwords, provenance, stories

#: provenance.py's ``_STOP`` at 95dcd84.
PROVENANCE_BEFORE = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no so than
    then there here which who whom whose what when where why how all any each few more most other some
    such only own same too very can will just should would could may might must shall do does did done
    has have had having about above after again against below between both during into through under
    until up down out off over once also said says""".split()
)

#: stories.py's ``_STOP`` at 95dcd84.
STORIES_BEFORE = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no nor so
    than then there here which who whom whose what when where why how all any each few more most other
    some such only own same too very can will just should would could may might must shall do does did
    done has have had having about above after again against below between both during into through
    under until up down out off over once also said says say saying told tell according told per via
    mr mrs ms dr st its it's i'm we're they're he's she's that's there's don't didn't doesn't isn't
    wasn't aren't weren't won't can't couldn't wouldn't shouldn't s t ll ve re d m one two three
    new year years day days week weeks month months time times people percent while since before
    because however although though yet still even well back many much like get got make made
    around among including include includes included just now last first next later earlier ago
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    am pm et gmt reuters ap afp news report reported reports reporting according
    http https www com html htm shtml php asp aspx""".split()
)


def test_each_stage_leaves_out_the_words_it_left_out_before() -> None:
    # Copy detection drops stop words in three places: anchors, sentence alignment, teasers.
    for module in (provenance._fingerprint, provenance._compare, provenance._elect):
        assert module.STOP_WORDS == PROVENANCE_BEFORE, module.__name__
    assert stories._features.STORY_STOP_WORDS == STORIES_BEFORE


def test_clustering_adds_to_the_shared_list_and_repeats_none_of_it() -> None:
    assert _stopwords.STORY_STOP_WORDS == _stopwords.STOP_WORDS | _stopwords.NEWS_WORDS
    assert not _stopwords.STOP_WORDS & _stopwords.NEWS_WORDS
    assert all(w == w.lower() and w.strip() == w and w for w in _stopwords.STORY_STOP_WORDS)

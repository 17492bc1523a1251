"""Stop words: the one list of common words that copy detection and story clustering leave out.

``STOP_WORDS`` are English function words (articles, pronouns, auxiliaries, prepositions, "said"):
both stages drop them, since two texts share them whatever they say. Story clustering drops
``NEWS_WORDS`` as well: words every news report uses — contractions and their pieces, titles,
reporting verbs, days, times and counts, wire agencies, the parts of a pasted URL — which pull
reports of unrelated events together. Copy detection keeps those: in a sentence two articles share,
"on Monday" and "Reuters" are part of what was copied.

Both sets are part of what the evaluation gates measure (tests/provenance/test_eval_provenance.py,
tests/stories/test_eval_stories.py): a word added or taken out changes the stages' figures, so change a set
deliberately and run the gates; tests/test_stopwords.py pins each stage's set.
"""

from __future__ import annotations

#: Dropped by both stages: copy detection's sentence keys and teaser check, clustering's terms.
STOP_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those he she they we you i his her their our your my me him them us not no so than
    then there here which who whom whose what when where why how all any each few more most other some
    such only own same too very can will just should would could may might must shall do does did done
    has have had having about above after again against below between both during into through under
    until up down out off over once also said says""".split()
)

#: Dropped by story clustering only, on top of ``STOP_WORDS``.
NEWS_WORDS = frozenset(
    """nor while since before because however although though yet still even well back like
    many much around among including include includes included get got make made
    it's i'm we're they're he's she's that's there's don't didn't doesn't isn't wasn't aren't weren't
    won't can't couldn't wouldn't shouldn't s t ll ve re d m mr mrs ms dr st
    say saying told tell according per via news report reported reports reporting
    one two three new people percent
    year years day days week weeks month months time times now last first next later earlier ago
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow am pm et gmt
    reuters ap afp
    http https www com html htm shtml php asp aspx""".split()
)

#: What story clustering leaves out of an article's terms.
STORY_STOP_WORDS = STOP_WORDS | NEWS_WORDS

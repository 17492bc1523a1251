"""The words and marks quote finding reads (``quotes.py``): verbs of saying, of thought and of
stance, participles that go on a quotation, words that cannot end a speaker's name, quotation
marks and abbreviations. Written by hand from general English usage (nothing taken from an
annotated corpus), kept apart from the rules so that a reader of either sees it whole.
"""

from __future__ import annotations

import re

#: Verbs of saying, in the forms that report (past, present third person): "Smith said", "says".
#: Each is a cue wherever it stands beside a speaker.
SPEECH_VERBS = frozenset(
    """said says told tells added adds noted notes warned warns argued argues claimed claims
    insisted insists denied denies explained explains wrote writes tweeted tweets announced
    announces stated asserted asserts acknowledged acknowledges admitted admits conceded
    concedes declared declares replied replies responded responds suggested suggests predicted
    predicts reported reports recalled recalls complained complains contended contends maintained
    maintains observed observes remarked stressed stresses emphasized emphasizes
    emphasised countered counters continued continues cautioned cautions vowed vows promised
    promises pledged pledges boasted boasts joked jokes quipped quips confirmed confirms asked asks
    alleged alleges charged charges agreed agrees disclosed discloses revealed reveals testified
    testifies posted mused muses conceded lamented laments griped retorted shouted yelled
    whispered chanted chants answered answers estimated estimates wondered wonders pointed
    say tell add note warn argue claim insist deny explain write tweet announce acknowledge admit
    concede declare reply respond suggest predict recall complain contend maintain
    observe stress emphasize caution vow promise pledge confirm ask allege charge agree
    reveal estimate
    reiterated reiterates recounted recounts exclaimed proclaimed proclaims hinted hints speculated
    speculates reasoned clarified clarifies elaborated opined confided confessed confesses groused
    grumbled fumed ranted scoffed snapped interjected blurted muttered murmured bragged brags crowed
    gushed inquired queried implied implies protested objected rebutted rejoined emailed texted blogged swore
    theorized posited surmised ventured pleaded assured assures reassured reminded reminds
    informed advised advises recommended recommends lectured cautions reaffirmed reaffirms affirmed
    affirms mentioned mentions
    reiterate speculate clarify elaborate confess recommend advise remind assure inform
    barked beamed boomed roared thundered screamed demurred marveled hollered
    sneered raged bellowed""".split()
)
#: Verbs of thought and knowledge: a cue only when "that" follows ("Smith believes that ...").
THOUGHT_VERBS = frozenset(
    """believes believed thinks thought knows knew feels felt fears feared hopes hoped expects
    expected worries worried recognizes recognized understands understood
    believe think know feel fear hope expect worry recognize understand
    concluded concludes found finds showed shows show indicated indicates learned discovered
    realized realised realizes determined ruled rules decided noticed highlighted highlights
    underscored underscores demonstrated demonstrates proved proves signaled signalled signals
    projected forecast calculated figured reckoned guessed suspected suspects doubted doubts
    assumed assumes presumed imagined anticipated remembered remembers concluded established
    conclude find indicate learn realize determine suspect doubt assume imagine remember
    heard hears read reads""".split()
)
#: Verbs of stance: a position taken (accused, urged, endorsed, wants ...), a belief (thinks,
#: fears), what a poll or a study shows or found, reported as the source's, as PolNeAR annotates
#: them: attributions, but not quotes ("stance=True" only).
STANCE_VERBS = frozenset(
    """accused accuses criticized criticizes urged urges endorsed endorses praised praises blamed
    blames condemned condemns defended defends attacked slammed blasted dismissed dismisses
    rejected rejects supported supports opposed opposes denounced denounces questioned
    challenged decried cited cites wants wanted plans planned hopes hoped expects sought seeks
    proposed proposes promised vowed pledged declined refused mentioned mentions indicated
    expressed discussed signaled signalled welcomed applauded lambasted mocked ridiculed
    demanded demands touted touts talked talks spoke speaks
    believes believed thinks thought feels felt fears feared worries worried
    shows showed show found finds indicates
    think believe know knows knew feel worry worries believed
    favor favors prefer prefers preferred oppose want hope expect intends intended aimed lobbied
    advocates championed pushed considers regarded views sees doubted hailed lauded congratulated
    apologized faulted chided rebuked ripped bashed derided pressed requested ordered offered
    voted""".split()
)
#: Verbs of stance and of naming that make a quote when quoted words follow them ("condemned “such a
#: murderous attack”", "credited him for “an exciting campaign”"), without ``stance`` too.
QUOTING_VERBS = STANCE_VERBS | frozenset(
    """credited credits portrayed portrays coined uttered hailed hails thanked thanks lauded
    lauds derided derides scolded scolds chided rebuked rebukes faulted faults assailed assails
    ridiculed labeled labelled termed terms characterized characterizes dubbed invoked invokes
    quoted quotes promised pledged vowed""".split()
)
#: "declined to comment", "refused to say": cues only before one of these.
_DECLINED = frozenset("declined declines refused refuses".split())
_SILENCE = re.compile(
    r"\s+to\s+(?:comment|say|answer|discuss|respond|elaborate|specify|disclose|confirm|detail|talk|"
    r"speak|explain|rule\s+out|name|identify|predict|speculate|reveal)\b"
)
#: Words quoted (not scare quotes: "so-called “reform”").
_QUOTED_WORDS = re.compile(r"(?<!so-called )[“\"]\w")
#: Participles that attribute to the subject of the clause before the comma
#: ("Trump attacked Clinton, saying she ...").
PARTICIPLES = frozenset(
    """saying adding noting arguing warning claiming insisting telling explaining writing
    tweeting calling stating asserting suggesting complaining declaring acknowledging admitting
    predicting promising vowing stressing pointing reminding conceding recalling contending
    cautioning boasting joking quipping recounting reiterating echoing announcing revealing
    confirming denying hinting implying signaling signalling indicating responding replying
    answering insisting alleging assuring declaring citing referring quoting mentioning describing""".split()
)
#: With ``stance``, participles of stance after a clause whose subject takes it (", urging …").
_STANCE_PARTICIPLES = frozenset(
    """criticizing criticising praising urging accusing blaming attacking defending supporting
    opposing backing endorsing rejecting dismissing demanding touting mocking slamming blasting
    welcoming thanking pledging seeking hoping calling""".split()
)
_GOING_ON = re.compile(r",[”\"’]?\s+(?:and\s+)?(" + "|".join(sorted(PARTICIPLES)) + r")\b")
#: Verbs whose direct object is the speech ("Smith called it a disgrace", "described it as").
NAMING_VERBS = frozenset("called calls described describes dubbed labeled labelled branded".split())
#: Words that may stand between a speaker and the cue without belonging to either.
_BETWEEN = frozenset(
    """also has have had later previously recently once then repeatedly often again publicly
    reportedly further earlier initially first last privately would will did does do
    has long frequently even still never already subsequently simply just flatly""".split()
)
#: Words that end a speaker's noun phrase going backwards from the cue (the clause begins there).
_STOP = frozenset(
    """that and but because while when as if which who whom whose since after before though
    although so where what why how than or nor yet until unless whether once
    is are was were be been being not to could should might may can must""".split()
)
#: Cue words that after these words (below) are rather nouns or adjectives ("in some states", "the
#: pledged delegates", "in charge"). Other nouns of saying stay cues ("his claim that ...", "a
#: report that ..."), as they are.
_NOUN_FIRST = frozenset("states pledged estimated estimates charge charges alleged say show plans".split())
#: Things whose name "called" introduces ("a play called ...", "a group called ...").
_NAMED_THINGS = frozenset(
    """play film movie show book program programme bill song series plan initiative project law
    documentary ad video event album novel poem podcast blog page town village city place area
    region app""".split()
)
#: Words after which one of those is not a cue.
_NOT_BEFORE_CUE = frozenset(
    """the a an his her their its our my your this these those final own any no some of for
    with in to on by from whose whom what""".split()
)
#: Pronouns that can speak.
PRONOUNS = frozenset("he she they i we it you".split())
#: Words a speech may be told to ("told reporters", "told the crowd").
_AUDIENCE = re.compile(
    r"(?:(?:the|a|an|his|her|their|its)\s+)?(?:[A-Z][\w.&'’-]*\s*){1,5}|"
    r"(?:the\s+|a\s+|his\s+|her\s+|their\s+)?(?:\w+\s+)?(?:reporters|supporters|voters|"
    r"crowd|audience|journalists|students|workers|members|lawmakers|donors|press|interviewer|"
    r"host|newspaper|station|network|magazine|outlet|attendees|delegates|guests|viewers|listeners|"
    r"rally|group|committee|congregation|him|her|them|us|me)\b"
)

#: Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr sen rep gov gen lt col sgt capt maj st jr sr inc corp co ltd prof rev ft mt
    jan feb mar apr jun jul aug sep sept oct nov dec no vs etc u.s u.n u.k d.c e.g i.e
    pres sens reps govs cmdr adm atty supt dept univ assn bros vol""".split()
)

#: A title or an initial and its full stop, which does not end a sentence ("Mr. Coleman said, “…”").
_ABBREVIATED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|[A-Z])\.")
_OPENERS = {"“": '”"', "„": "“”", "«": "»", "»": "«", '"': '"”'}
_MARK_CHARS = '“”„«»"'
_WORD = re.compile(r"[\w’'.&-]+|[^\w\s]")


#: Capitalised words that start sentences but name nobody (speakers.py reads them too).
_NOT_NAME = frozenset(
    """The A An In On At But And So If When After Before This That These Those It He She They We I
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December New United White House Senate Congress
    Democrats Republicans Democratic Republican Party Street University Department""".split()
)

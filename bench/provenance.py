"""Evaluate copy detection and original election (``newsdesk.provenance`` driven by the Desk).

    .venv/bin/python -m bench.provenance [--data DIR] [--quick] [--json FILE] [--seed 1]
        [--originals 200] [--sizes 10000,100000,1000000] [--parts sample,synthetic,control,throughput]
        [--examples N]

Four parts, each skipped with a message when its data is absent:

(a) ``sample``: the sample corpus (src/newsdesk/sample) ingested into a temporary desk; stored
    articles are mapped to truth ids by ``normalize_url`` of their URL; the predicted copy edges
    (copy, original, kind) are scored against ``copy_of``/``copy_kind`` of truth.json, and the
    election of each copy group's original.
(b) ``synthetic``: originals taken from ../shared/data/articles/wikinews/ (real texts), the other
    wikinews articles as unrelated distractors, and generated copies, one scenario (one fresh desk)
    per kind of copy: identical, boilerplate (header/footer lines added), near (truncated to 60-90 %
    at a sentence end, 3 words edited), syndicated (identical text in an HTML page declaring the
    original by ``<link rel=canonical>`` or a "Source link" anchor), reordered (adjacent sentences
    swapped), synonym substitution at 10/20/40/60 % of the eligible words, and copies published
    BEFORE their originals (no signal / a credit "(Wikinews)" / a declared link / truncated). A
    "mixed" scenario puts every kind of copy of each original in one desk (big copy groups).
    Originals and copies are ingested in a shuffled order.
(c) ``control``: SemEval-2022 task 8 pairs with Overall <= 1.5 (the same story told by two
    outlets): any copy relation between the two texts of a pair is a false positive. English pairs
    (en-en) and all language pairs are reported separately.
(t) ``throughput``: fingerprint + ``store.candidates(...)`` per article on one core with 10k, 100k
    and 1M generated articles indexed; DB bytes per indexed article (by table, from ``dbstat``) and
    the RSS of the lookup process.

Scoring: an edge (copy -> original) is *correct* when it points from a true copy to its true
original; *linked* when its two ends belong to the same true copy group (either direction, or two
copies of one original). Precision = correct (or linked) edges / predicted edges; recall = true
copies with an edge to their original (directed) or in one predicted group with it (detected) /
true copies. Election: a true group is *elected right* when its original is the original of the
predicted group holding its copies; election precision = predicted groups whose elected original
is a true original with its copies in the group / predicted groups touching a true group.

Importable: ``run(data_dir, quick=False) -> dict`` for the gate test. Only the standard library,
numpy (already a newsdesk dependency) and newsdesk.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import json
import os
import random
import re
import resource
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import _common

DEFAULT_DATA = _common.eval_data()
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "src" / "newsdesk" / "sample"

csv.field_size_limit(1 << 30)


# -- scoring -----------------------------------------------------------------------------------------


def _components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over undirected edges: label -> representative."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return {x: find(x) for x in parent}


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def score(
    truth: dict[str, tuple[str, str]],
    predicted: list[tuple[str, str, str]],
    expected_kinds: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """Score predicted edges (copy, original, kind) against truth {copy: (original, kind)}.

    Labels of predicted edges that are in no truth group (distractors, unrelated articles) count as
    their own singleton groups, so an edge touching them is wrong. ``expected_kinds`` maps a truth
    kind to the predicted kinds accepted for it (default: the same kind).
    """
    group = {c: o for c, (o, _) in truth.items()}
    for o, _ in truth.values():
        group[o] = o
    n_pred = len(predicted)
    correct = sum(1 for c, o, _ in predicted if c in truth and truth[c][0] == o)
    linked = sum(1 for c, o, _ in predicted if group.get(c, "?" + c) == group.get(o, "?" + o))
    reversed_ = sum(1 for c, o, _ in predicted if o in truth and truth[o][0] == c)
    wrong = [(c, o, k) for c, o, k in predicted if group.get(c, "?" + c) != group.get(o, "?" + o)]
    comp = _components((c, o) for c, o, _ in predicted)
    elected = {c: o for c, o, _ in predicted}  # copy -> the original its group elected
    edge_of = {c: (o, k) for c, o, k in predicted}
    # per truth kind
    kinds: dict[str, dict[str, Any]] = {}
    exp = expected_kinds or {}
    for kind in sorted({k for _, k in truth.values()}):
        members = [c for c, (_, k) in truth.items() if k == kind]
        directed = sum(1 for c in members if edge_of.get(c, ("",))[0] == truth[c][0])
        detected = sum(
            1 for c in members if c in comp and truth[c][0] in comp and comp[c] == comp[truth[c][0]]
        )
        got = Counter(edge_of[c][1] for c in members if edge_of.get(c, ("",))[0] == truth[c][0])
        ok = exp.get(kind, {kind})
        kinds[kind] = {
            "n": len(members),
            "recall": _ratio(directed, len(members)),
            "detected": _ratio(detected, len(members)),
            "kind_ok": _ratio(sum(v for k, v in got.items() if k in ok), directed),
            "predicted_kinds": dict(got),
        }
    # per predicted kind
    by_pred: dict[str, dict[str, Any]] = {}
    for k in sorted({k for _, _, k in predicted}):
        es = [(c, o) for c, o, kk in predicted if kk == k]
        by_pred[k] = {
            "edges": len(es),
            "precision": _ratio(sum(1 for c, o in es if c in truth and truth[c][0] == o), len(es)),
            "linked": _ratio(
                sum(1 for c, o in es if group.get(c, "?" + c) == group.get(o, "?" + o)), len(es)
            ),
        }
    # election, per true group with at least one copy
    true_groups: dict[str, list[str]] = defaultdict(list)
    for c, (o, _) in truth.items():
        true_groups[o].append(c)
    elected_right = 0
    for o, copies in true_groups.items():
        found = [c for c in copies if elected.get(c) == o]
        if found and o not in elected:
            elected_right += 1
    # predicted groups touching a truth group
    pred_groups: dict[str, set[str]] = defaultdict(set)
    for x, r in comp.items():
        pred_groups[r].add(x)
    touching = right_groups = 0
    for members_ in pred_groups.values():
        if not any(m in group for m in members_):
            continue
        touching += 1
        roots = {elected.get(m, m) for m in members_}
        root = next(iter(roots)) if len(roots) == 1 else None
        if (
            root is not None
            and root in true_groups
            and any(group.get(m) == root for m in members_ if m != root)
        ):
            right_groups += 1
    n_true = len(truth)
    return {
        "true_edges": n_true,
        "predicted_edges": n_pred,
        "correct": correct,
        "precision": _ratio(correct, n_pred),
        "recall": _ratio(correct, n_true),
        "linked_precision": _ratio(linked, n_pred),
        "detected_recall": _ratio(
            sum(1 for c, (o, _) in truth.items() if c in comp and o in comp and comp[c] == comp[o]), n_true
        ),
        "reversed": reversed_,
        "false_edges": wrong,
        "kinds": kinds,
        "by_predicted_kind": by_pred,
        "groups": len(true_groups),
        "election_recall": _ratio(elected_right, len(true_groups)),
        "election_precision": _ratio(right_groups, touching),
        "predicted_groups": touching,
    }


# -- (a) the sample corpus -------------------------------------------------------------------------


def run_sample(sample_dir: Path = SAMPLE) -> dict[str, Any]:
    from newsdesk import ArticleNotFoundError, InvalidURLError, normalize_url, open_desk

    truth_doc = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    arts = truth_doc["articles"]
    truth = {aid: (a["copy_of"], a["copy_kind"]) for aid, a in arts.items() if a.get("copy_of")}
    with tempfile.TemporaryDirectory(prefix="nd-prov-sample-") as tmp:
        desk = open_desk(Path(tmp) / "sample.db")
        try:
            t0 = time.perf_counter()
            report = desk.ingest([sample_dir])
            seconds = time.perf_counter() - t0
            label: dict[int, str] = {}
            unmapped = []
            for aid, a in arts.items():
                found = None
                for url in (a.get("url"), a.get("canonical_url")):
                    if not url:
                        continue
                    try:
                        found = desk.get_article(normalize_url(url))
                        break
                    except (ArticleNotFoundError, InvalidURLError):
                        continue
                if found is None:
                    unmapped.append(aid)
                else:
                    label[found.id] = aid
            edges = desk.copy_edges()
            predicted = [
                (
                    label.get(e.copy_id, f"#{e.copy_id}"),
                    label.get(e.original_id, f"#{e.original_id}"),
                    e.kind.value,
                )
                for e in edges
            ]
            evidence = {label.get(e.copy_id, f"#{e.copy_id}"): e.evidence for e in edges}
        finally:
            desk.close() if hasattr(desk, "close") else None
    out = score(truth, predicted)
    out.update(
        {
            "articles": len(arts),
            "stored": report.new,
            "unmapped": unmapped,
            "seconds": seconds,
            "edges": sorted(predicted),
            "missed": sorted(
                (c, o, k) for c, (o, k) in truth.items() if (c, o) not in {(p[0], p[1]) for p in predicted}
            ),
            "election_reasons": {c: evidence[c].get("election") for c in evidence},
        }
    )
    return out


# -- (b) the synthetic stress set --------------------------------------------------------------------

#: Synonyms of common English (news) words; a word without an entry gets a random common word.
_SYNONYMS_SRC = """
about:around,roughly,approximately|above:over,beyond|accept:take,admit|according:per|account:report,story
accused:charged,blamed|achieve:reach,attain|across:throughout,over|act:law,statute|action:step,move,measure
activity:work,action|actually:really,in fact|add:include,append|added:included,noted|additional:extra,further
address:speech,tackle|administration:government,management|admitted:conceded,acknowledged|affect:influence,hit
after:following,once|afternoon:evening|again:once more,anew|against:versus,opposing|age:era,period
agency:bureau,body|agreed:consented,concurred|agreement:deal,accord,pact|aid:help,assistance|aim:goal,target
allow:let,permit|allowed:permitted,let|almost:nearly,practically|alone:solely,only|already:previously,by now
also:too,as well|although:though,while|always:ever,constantly|among:amid,between|amount:sum,quantity
announced:declared,revealed,stated|announcement:declaration,statement|annual:yearly|another:one more,an additional
answer:reply,response|anyone:anybody|appeal:plea,request|appear:seem,show up|appeared:seemed,emerged
area:region,zone,district|argued:contended,claimed|army:military,forces|around:about,roughly|arrested:detained,held
arrived:came,reached|ask:request,query|asked:requested,questioned|attack:assault,strike,raid|attempt:try,effort
attend:visit,join|attention:notice,focus|authorities:officials|available:accessible,on hand|average:typical,mean
away:off,apart|back:again,rear|bad:poor,terrible|ban:prohibition,bar|based:founded,located|became:grew,turned
because:since,as|become:turn into,grow|before:prior to,ahead of,earlier than|began:started,commenced
begin:start,commence|behind:after,beyond|believe:think,trust|believed:thought,reckoned|below:under,beneath
best:finest,top|better:superior,improved|big:large,huge,major|bill:measure,draft law|billion:bn|body:corpse,organisation
border:frontier,boundary|boss:chief,head|break:pause,breach|bring:take,carry|brought:took,carried|build:construct,erect
building:structure,edifice|built:constructed,erected|business:company,firm,trade|buy:purchase,acquire|call:demand,phone
called:named,termed|came:arrived,got here|campaign:drive,crusade|capital:funds,main city|car:vehicle,automobile
care:treatment,concern|carried:conducted,carried out|case:instance,matter,incident|cases:instances,infections
cause:reason,source|caused:triggered,led to|central:main,core|century:hundred years|certain:sure,particular
chairman:chair,head|chance:opportunity,likelihood|change:alteration,shift|changed:altered,modified|charge:cost,accusation
charged:accused,indicted|chief:head,leader|child:kid,youngster|children:kids,youngsters|choice:option,selection
citizens:residents,nationals|city:town,municipality|claim:assertion,allegation|claimed:alleged,asserted|clear:obvious,plain
close:shut,near|closed:shut|club:team,society|cold:chilly,cool|come:arrive,appear|coming:upcoming,arriving
comment:remark,statement|comments:remarks,statements|common:frequent,shared|community:neighbourhood,society
companies:firms,businesses|company:firm,business|complete:finish,whole|completed:finished|concern:worry,issue
concerns:worries,issues|condition:state,situation|conference:meeting,summit|confirmed:verified,established
conflict:dispute,clash|consider:weigh,contemplate|considered:thought,regarded|continue:carry on,go on|continued:went on,carried on
control:command,management|country:nation,state|countries:nations,states|couple:pair|course:path,route|court:tribunal
cover:include,protect|create:make,produce|created:made,formed|crime:offence,wrongdoing|crisis:emergency,catastrophe
critical:vital,crucial|crowd:throng,mass|current:present,existing|currently:now,at present|cut:reduce,trim
damage:harm,destruction|damaged:harmed,destroyed|data:figures,information|day:date|days:dates|dead:killed,lifeless
deal:agreement,accord|death:demise,passing|deaths:fatalities|debate:discussion,argument|decided:determined,chose
decision:ruling,choice,verdict|declared:announced,proclaimed|decline:fall,drop|defence:protection,security|demand:call,request
department:ministry,office|described:called,characterised|despite:in spite of,notwithstanding|destroyed:ruined,wrecked
developed:created,built|development:growth,progress|died:perished,passed away|difference:gap,distinction|different:various,distinct
difficult:hard,tough|director:head,chief|discovered:found,uncovered|discuss:debate,talk about|discussed:debated,talked about
disease:illness,sickness|district:area,region|done:completed,finished|doubt:uncertainty,question|down:lower|due:owing,expected
during:throughout,amid|early:initial,premature|earlier:previously,before|earth:world,globe|east:eastern part|easy:simple,basic
economic:financial,fiscal|economy:market|education:schooling,learning|effect:impact,result|effort:attempt,try
efforts:attempts,endeavours|election:vote,poll,ballot|elections:votes,polls|emergency:crisis,urgent situation
employees:staff,workers|end:finish,close|ended:finished,concluded|energy:power,vitality|enough:sufficient,ample
entire:whole,full|especially:particularly,notably|established:founded,set up|estimated:approximated,projected
even:still,yet|evening:night|event:occasion,incident|events:incidents,occasions|eventually:finally,ultimately
every:each|evidence:proof,signs|exactly:precisely|example:instance,case|expected:anticipated,predicted
experience:expertise,encounter|expert:specialist,authority|experts:specialists,authorities|explained:clarified,described
face:confront,encounter|facility:plant,site|fact:truth,reality|failed:didn't manage,was unsuccessful|fall:drop,decline
family:relatives,household|far:distant,much|fast:quick,rapid|father:dad|fear:dread,worry|feared:dreaded
federal:national,central|feel:sense,think|fell:dropped,declined|few:several,a handful of|fight:battle,struggle
fighting:combat,battles|figure:number,figure out|figures:numbers,statistics|file:document,lodge|filed:lodged,submitted
final:last,closing|finally:eventually,at last|financial:monetary,fiscal|find:discover,locate|fire:blaze,flames
firm:company,business|first:initial,earliest|flight:trip,journey|follow:pursue,track|following:after,subsequent to
force:power,pressure|forced:compelled,obliged|foreign:overseas,international|former:previous,earlier|found:discovered,located
free:unrestricted,gratis|friday:the final weekday|friend:pal,companion|full:complete,entire|fund:finance,pot
funding:financing,backing|future:prospective,coming|game:match,contest|gave:offered,handed|general:common,broad
get:obtain,receive|give:offer,hand|given:offered,handed|global:worldwide,international|go:head,move|goal:aim,objective
going:heading,moving|good:fine,decent|government:administration,regime|great:huge,considerable|greater:larger,bigger
ground:land,soil|group:team,band|groups:teams,bands|growing:increasing,rising|growth:expansion,increase|half:fifty percent
hand:palm|happened:occurred,took place|hard:difficult,tough|head:chief,leader|health:wellbeing,health care
hear:listen to|heard:listened to|held:hosted,kept|help:assist,aid|helped:assisted,aided|high:elevated,tall
higher:greater,upper|history:past,record|hit:struck,affected|hold:keep,host|home:house,residence|hope:wish,expect
hospital:clinic,medical centre|hours:hrs|house:home,residence|however:nevertheless,but|huge:enormous,massive
human:person,people|idea:notion,concept|immediately:at once,instantly|impact:effect,influence|important:significant,key
included:contained,comprised|including:together with,such as|increase:rise,growth|increased:rose,grew|independent:autonomous
industry:sector,business|information:data,details|injured:wounded,hurt|inside:within,in|instead:rather,alternatively
interest:curiosity,stake|international:global,worldwide|interview:conversation,talk|investigation:inquiry,probe
involved:concerned,engaged|issue:problem,matter|issues:problems,matters|job:position,post|jobs:positions,posts
join:enter,become part of|joined:entered|judge:justice,magistrate|keep:retain,maintain|key:crucial,main|kill:murder,slay
killed:slain,murdered|kind:type,sort|know:understand,realise|known:recognised,well-known|lack:absence,shortage
land:ground,territory|large:big,huge|largest:biggest|last:final,previous|late:delayed,overdue|later:afterwards,subsequently
launch:introduce,start|launched:started,introduced|law:legislation,statute|laws:legislation,rules|lead:guide,direct
leader:chief,head|leaders:chiefs,heads|leading:main,top|least:minimum|leave:depart,exit|led:guided,headed|left:departed,quit
legal:lawful,judicial|less:fewer,lower|level:degree,stage|levels:degrees,amounts|life:existence,lifetime|likely:probable,likely to
limited:restricted,small|line:row,queue|list:catalogue,register|little:small,slight|live:reside,dwell|lives:resides
local:regional,nearby|long:lengthy,extended|look:glance,appear|looking:searching,seeking|lost:misplaced,lost out
low:small,reduced|made:created,produced|main:primary,principal|major:key,main,large|majority:most,bulk
make:create,produce|making:creating,producing|man:person,guy|many:numerous,plenty of|march:parade,procession
market:marketplace|material:substance,matter|matter:issue,subject|may:might,could|maybe:perhaps,possibly
means:signifies,implies|measures:steps,actions|media:press|medical:clinical,healthcare|meet:see,encounter
meeting:assembly,gathering|member:participant,part|members:participants|men:males|met:encountered,saw
military:armed forces,army|million:mn|minister:secretary,official|minutes:mins|missing:lost,absent|money:cash,funds
month:thirty days|months:thirty day periods|more:extra,further|morning:dawn,daybreak|most:largest part of|mother:mom,mum
move:transfer,shift|moved:relocated,shifted|much:considerably,a lot|must:should,has to|name:title,designation
named:called,titled|nation:country|national:nationwide,countrywide|near:close to,nearby|nearly:almost,close to
need:require,want|needed:required|needs:requires|network:system,web|never:not ever|new:recent,fresh,novel
news:information,reports|next:following,subsequent|night:evening|north:northern part|noted:remarked,observed|number:amount,figure
offer:provide,give|office:workplace,bureau|officer:official,agent|officers:officials,agents|official:authorised,officer
officials:authorities,functionaries|often:frequently,usually|old:aged,former|open:unlock,launch|opened:unlocked,launched
operation:procedure,process|opposition:resistance,objection|order:command,instruction|organisation:organization,body
organization:organisation,body|others:other people|outside:exterior,beyond|overall:total,general|own:personal,possess
paid:compensated,settled|part:portion,section|particular:specific,certain|parties:events,sides|party:celebration,faction
passed:approved,handed|past:former,previous|pay:compensation,salary|peace:calm,tranquility|people:persons,individuals
per:every,each|percent:per cent|period:stretch,phase|person:individual,human|place:location,spot|plan:strategy,scheme
planned:intended,scheduled|plans:strategies,schemes|play:perform,compete|played:performed,competed|player:participant
players:participants,athletes|point:stage,factor|police:law enforcement|policy:rule,coverage|political:governmental
popular:favoured,well-liked|population:residents,inhabitants|position:post,situation|possible:doable,feasible
power:energy,authority|practice:follow,exercise|presence:existence,attendance|present:current,existing|president:leader
press:media,push|pressure:stress,strain|previous:former,prior|previously:earlier,formerly|price:cost,value
prices:costs,rates|prime:chief,major|prison:jail,penitentiary|private:personal,non-public|problem:issue,trouble
problems:issues,troubles|process:procedure,course of action|production:output,manufacturing|program:programme,scheme
programme:program,scheme|project:venture,scheme|protect:defend,guard|protest:demonstration,rally|protests:demonstrations,rallies
provide:supply,give|provided:supplied,gave|public:public sector,general public|published:printed,released|put:place,set
question:query,concern|questions:queries,concerns|quickly:rapidly,swiftly|race:contest,competition|raised:elevated,lifted
range:variety,array|rate:price,pace|rather:somewhat,instead|reach:attain,get to|reached:attained,got to|ready:prepared,set
real:genuine,actual|really:truly,actually|reason:cause,motive|received:obtained,got|recent:latest,new|recently:lately,not long ago
record:file,report|reduce:decrease,lower|region:area,zone|released:launched,unveiled|remain:stay,continue|remained:stayed,continued
remains:stays,continues|report:account,statement|reported:described,said|reports:accounts,statements|research:study,analysis
residents:inhabitants,locals|response:reply,reaction|responsible:accountable,liable|rest:remainder,balance|result:outcome,consequence
results:outcomes,results|return:come back,go back|returned:came back,went back|revealed:disclosed,exposed|right:correct,proper
rights:entitlements|rise:increase,climb|risk:danger,hazard|road:street,route|role:part,function|rose:climbed,increased
rule:regulation,law|rules:regulations,laws|run:operate,manage|running:operating,managing|safe:secure,protected
safety:security,protection|same:identical,similar|saw:observed,noticed|say:state,claim|saying:stating,claiming
school:college,academy|schools:colleges,academies|season:period,time of year|second:next,another|security:safety,protection
seen:observed,noticed|sent:dispatched,forwarded|series:string,chain|serious:severe,grave|service:facility,assistance
services:facilities,amenities|set:established,placed|several:various,numerous|share:portion,stake|short:brief,quick
shot:fired,gunned|show:display,exhibit|showed:displayed,demonstrated|shows:displays,reveals|side:aspect,facet|signed:endorsed,inked
significant:considerable,large|similar:comparable,alike|since:considering that,as|situation:state of affairs,circumstance
small:little,tiny|social:societal,communal|society:community,culture|soon:shortly,quickly|south:southern part|space:area,room
speak:talk,converse|speaking:talking|special:distinctive,unique|spent:expended,used|spokesperson:representative
spokesman:representative|staff:personnel,workers|stage:phase,step|start:begin,commence|started:began,commenced|state:country,condition
statement:declaration,assertion|states:nations,countries|station:post,depot|still:nonetheless,even now|stop:halt,cease
stopped:halted,ceased|story:tale,account|strong:powerful,solid|students:pupils,learners|study:research,examination
suffered:endured,experienced|support:backing,assistance|supported:backed,endorsed|supporters:backers,followers|sure:certain,confident
system:structure,network|take:grab,acquire|taken:seized,grabbed|taking:grabbing,acquiring|talk:speak,chat|talks:negotiations,discussions
team:squad,group|term:time period,phrase|terms:phrases|test:trial,check|tests:trials,checks|thing:factor,point|things:factors,issues
think:believe,suppose|thought:believed,supposed|threat:danger,menace|three:3|through:by means of,via|throughout:all over,across
time:period,occasion|times:occasions|today:at present,nowadays|together:jointly,collectively|told:informed,advised|took:grabbed,seized
top:leading,high|total:overall,whole|toward:in direction of|towards:in direction of|town:city,municipality|trade:commerce,business
trial:court case,hearing|trip:journey,tour|true:correct,accurate|try:attempt|trying:attempting|turn:flip,switch|two:2
under:beneath,below|understand:comprehend,grasp|union:alliance,association|university:college,academy|until:till,up until
use:utilise,employ|used:utilised,employed|using:utilising,employing|usually:normally,generally|various:numerous,diverse
victims:casualties,sufferers|violence:brutality,aggression|visit:go to,see|vote:ballot,poll|voted:balloted|votes:ballots
want:need,desire|wanted:needed,desired|war:battle,conflict|warned:cautioned,alerted|watch:observe,view|water:liquid
way:method,manner|week:seven days|weeks:seven day periods|well:effectively,properly|went:headed,travelled|west:western part
whether:if|whole:entire,complete|wide:broad,large|win:victory,triumph|within:inside,in|without:lacking,with out
woman:lady,female|women:ladies,females|won:gained,triumphed|word:term,phrase|words:terms,phrases|work:job,labour
worked:labored,functioned|workers:employees,labourers|working:operating,functioning|world:globe,planet|worst:poorest
wrote:penned,authored|year:12 months|years:years' time,decades|young:youthful,junior
"""
SYNONYMS: dict[str, list[str]] = {}
for _entry in _SYNONYMS_SRC.replace("\n", "|").split("|"):
    if ":" in _entry:
        _w, _s = _entry.split(":", 1)
        SYNONYMS[_w.strip()] = [s.strip() for s in _s.split(",") if s.strip()]
#: Random replacement for a word without synonyms (a spinner's nonsense choice).
COMMON = sorted({s for v in SYNONYMS.values() for s in v if " " not in s} | set(SYNONYMS))
#: Function words: never substituted (spinners keep grammar words; see the "content" scope).
FUNCTION = frozenset(
    """a an the and or but nor if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your my me him them us not no
    so than then there here which who whom whose what when where why how all any each both either
    can will would could should may might must shall do does did has have had having into onto upon
    up out off over""".split()
)

BOILERPLATE_HEAD = [
    "Advertisement",
    "Share this article",
    "Listen to this article",
    "By Staff Reporter",
    "Updated 2 hours ago",
    "Breaking News",
    "Sign up for our morning newsletter",
    "Follow us on social media for the latest updates",
]
BOILERPLATE_FOOT = [
    "Share this: Facebook Twitter Email WhatsApp",
    "Copyright 2020. All rights reserved.",
    "Follow us for more news and updates.",
    "Read more: the latest headlines from around the world",
    "Subscribe to our newsletter to get stories like this in your inbox.",
    "Have a news tip? Contact our newsroom.",
    "Comments are closed.",
    "This story has been published from a wire agency feed without modifications to the text.",
    "Related: more stories in this section",
    "Click here to download our app.",
]
OUTLETS = [
    f"{n}"
    for n in (
        "dailyherald bayreporter metropost citywire globalnewsnow thechronicle eveningstar theobserver "
        "morningledger pressbulletin newsline24 valleytimes coastalecho northernstar capitalgazette "
        "worldupdate headlinehub thesentinel dailybrief newsroomone"
    ).split()
]

_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“(]?[A-Z0-9])")
_TOKENS = re.compile(r"\w+(?:['’]\w+)?|[^\w]+")


def load_wikinews(data_dir: Path) -> list[dict[str, str]]:
    folder = data_dir / "articles" / "wikinews"
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    out = []
    seen = set()
    for r in rows:
        text = "\n".join(p.strip() for p in (r.get("text") or "").split("\n") if p.strip())
        key = " ".join(text.lower().split())[:500]
        if not text or key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "url": r.get("url") or "",
                "date": r.get("date") or "",
                "title": r.get("title") or "",
                "text": text,
            }
        )
    return out


def _sentences_keep(paragraph: str) -> list[str]:
    return [s for s in _SENT_SPLIT.split(paragraph) if s.strip()]


def substitute(
    text: str, share: float, rng: random.Random, *, scope: str = "content"
) -> tuple[str, int, int]:
    """Replace ``share`` of the eligible words: lower-case words (not names), not numbers, outside
    quotes, and (scope "content") not function words. A word with synonyms gets one of them, else a
    random common word. Returns (text, replaced, eligible)."""
    parts = _TOKENS.findall(text)
    eligible: list[int] = []
    in_quote = False
    for i, p in enumerate(parts):
        if not p[0].isalnum() and p[0] != "_":
            for ch in p:
                if ch in "“”":
                    in_quote = ch == "“"
                elif ch == '"':
                    in_quote = not in_quote
            continue
        if in_quote or not p.isalpha() or not p[0].islower() or len(p) < 2:
            continue
        if scope == "content" and p in FUNCTION:
            continue
        eligible.append(i)
    k = round(share * len(eligible))
    for i in rng.sample(eligible, k):
        w = parts[i]
        options = [s for s in SYNONYMS.get(w, ()) if s != w]
        parts[i] = rng.choice(options) if options else rng.choice(COMMON)
    return "".join(parts), k, len(eligible)


def truncate(text: str, share: float) -> str:
    """The text cut at the sentence end closest to ``share`` of its words (at least one sentence)."""
    paras = text.split("\n")
    total = len(text.split())
    target = share * total
    out: list[str] = []
    n = 0
    best_gap = float("inf")
    best: list[str] = []
    for para in paras:
        cur: list[str] = []
        for s in _sentences_keep(para):
            cur.append(s)
            n += len(s.split())
            candidate = [*out, " ".join(cur)]
            gap = abs(n - target)
            if gap < best_gap:
                best_gap, best = gap, candidate
        out.append(" ".join(cur))
    return "\n".join(best)


def reorder(text: str, rng: random.Random, p: float = 0.5) -> tuple[str, int]:
    """Swap adjacent sentences (non-overlapping pairs, each with probability ``p``) in every paragraph."""
    swaps = 0
    out = []
    for para in text.split("\n"):
        s = _sentences_keep(para)
        i = 0
        while i + 1 < len(s):
            if rng.random() < p:
                s[i], s[i + 1] = s[i + 1], s[i]
                swaps += 1
                i += 2
            else:
                i += 1
        out.append(" ".join(s))
    if not swaps:  # one sentence per paragraph: swap two adjacent paragraphs instead
        j = rng.randrange(len(out) - 1) if len(out) > 1 else 0
        if len(out) > 1:
            out[j], out[j + 1] = out[j + 1], out[j]
            swaps = 1
    return "\n".join(out), swaps


def edit_words(text: str, n: int, rng: random.Random) -> str:
    out, _, _ = substitute(text, 0.0, rng)
    parts = _TOKENS.findall(out)
    idx = [i for i, p in enumerate(parts) if p.isalpha() and p[0].islower() and p not in FUNCTION]
    for i in rng.sample(idx, min(n, len(idx))):
        options = SYNONYMS.get(parts[i]) or COMMON
        parts[i] = rng.choice(options)
    return "".join(parts)


def _html_page(title: str, text: str, *, canonical: str | None, source_link: str | None) -> bytes:
    head = f"<title>{html.escape(title)}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{html.escape(canonical)}">'
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    tail = f'<p><a href="{html.escape(source_link)}">Source link</a></p>' if source_link else ""
    return (
        f'<html lang="en"><head>{head}</head><body><article><h1>{html.escape(title)}</h1>'
        f"{paras}{tail}</article></body></html>"
    ).encode()


#: Scenario -> (truth kind, predicted kinds accepted for it).
SCENARIOS: dict[str, tuple[str, set[str]]] = {
    "identical": ("identical", {"identical"}),
    "boilerplate": ("identical", {"identical", "near"}),
    "near": ("near", {"near"}),
    "syndicated": ("syndicated", {"syndicated"}),
    "reordered": ("near", {"near", "rewritten"}),
    "sub10": ("rewritten", {"near", "rewritten"}),
    "sub20": ("rewritten", {"near", "rewritten"}),
    "sub40": ("rewritten", {"rewritten", "near"}),
    "sub60": ("rewritten", {"rewritten", "near"}),
    "sub40-all": ("rewritten", {"rewritten", "near"}),
    "early": ("early", {"identical", "near", "syndicated", "rewritten"}),
    "boilerplate-soon": ("identical", {"identical", "near"}),
    "expanded-soon": ("near", {"near"}),
}
EARLY_TYPES = ("no-signal", "credit", "declared", "truncated")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"


#: Paragraphs of unrelated articles (the distractors) that "expanded" copies add; set by run_synthetic.
_FILLER: list[str] = []


def make_copy(
    scenario: str, i: int, orig: dict[str, Any], rng: random.Random
) -> tuple[Any, str, dict[str, Any]]:
    """A Fetched copy of ``orig`` for the scenario; returns (fetched, label, facts)."""
    from newsdesk import EntryHints, Fetched

    outlet = OUTLETS[(i + zlib.crc32(scenario.encode()) % 7) % len(OUTLETS)]
    url = f"https://{outlet}.example/{scenario}/{i}/{_slug(orig['title'])}"
    text = orig["text"]
    facts: dict[str, Any] = {"scenario": scenario}
    html_body: bytes | None = None
    when = orig["published"] + timedelta(minutes=rng.randint(10, 48 * 60))
    if scenario == "identical":
        pass
    elif scenario == "boilerplate":
        head = rng.sample(BOILERPLATE_HEAD, rng.randint(0, 2))
        foot = rng.sample(BOILERPLATE_FOOT, rng.randint(1, 3))
        text = "\n".join([*head, text, *foot])
    elif scenario == "boilerplate-soon":  # as boilerplate, published within newsdesk's clock-skew window
        head = rng.sample(BOILERPLATE_HEAD, rng.randint(1, 2))
        foot = rng.sample(BOILERPLATE_FOOT, rng.randint(2, 3))
        text = "\n".join([*head, text, *foot])
        when = orig["published"] + timedelta(minutes=rng.randint(10, 170))
    elif scenario == "expanded-soon":  # an outlet adds its own paragraphs, within the skew window
        extra = rng.sample(_FILLER, 2) if len(_FILLER) >= 2 else ["The council said it would review it."] * 2
        where = ("head", "tail", "both")[i % 3]
        facts["added_at"] = where
        if where == "head":
            text = "\n".join([*extra, text])
        elif where == "tail":
            text = "\n".join([text, *extra])
        else:
            text = "\n".join([extra[0], text, extra[1]])
        when = orig["published"] + timedelta(minutes=rng.randint(10, 170))
        facts["added_words"] = len(text.split()) - len(orig["text"].split())
    elif scenario == "near":
        share = rng.uniform(0.6, 0.9)
        text = edit_words(truncate(text, share), 3, rng)
        facts["kept"] = round(len(text.split()) / len(orig["text"].split()), 2)
    elif scenario == "syndicated":
        if i % 2:
            html_body = _html_page(orig["title"], text, canonical=orig["url"], source_link=None)
            facts["declared_by"] = "canonical"
        else:
            html_body = _html_page(orig["title"], text, canonical=None, source_link=orig["url"])
            facts["declared_by"] = "source-link"
    elif scenario == "reordered":
        text, facts["swaps"] = reorder(text, rng)
    elif scenario.startswith("sub"):
        level = int(scenario[3:5]) / 100
        scope = "all" if scenario.endswith("-all") else "content"
        text, k, n = substitute(text, level, rng, scope=scope)
        facts["replaced"], facts["eligible"] = k, n
    elif scenario == "early":
        kind = EARLY_TYPES[i % len(EARLY_TYPES)]
        facts["early"] = kind
        when = orig["published"] - timedelta(minutes=rng.randint(10, 12 * 60))
        if kind == "credit":
            lines = text.split("\n")
            text = "\n".join([f"(Wikinews) - {lines[0]}", *lines[1:]])
        elif kind == "declared":
            html_body = _html_page(orig["title"], text, canonical=None, source_link=orig["url"])
        elif kind == "truncated":
            text = truncate(text, rng.uniform(0.6, 0.9))
    else:
        raise ValueError(scenario)
    hints = EntryHints(title=orig["title"], published=when, text=None if html_body else text)
    fetched = Fetched(url=url, body=html_body or b"", origin=url, source=outlet, hints=hints)
    facts["text"] = text
    facts["delay_min"] = round((when - orig["published"]).total_seconds() / 60)
    return fetched, f"{scenario}:{i}", facts


def _original_fetched(i: int, orig: dict[str, Any]) -> Any:
    from newsdesk import EntryHints, Fetched

    hints = EntryHints(title=orig["title"], published=orig["published"], text=orig["text"])
    return Fetched(url=orig["url"], body=b"", origin=orig["url"], source="Wikinews", hints=hints)


def _prepare_wikinews(data_dir: Path, n_originals: int, seed: int) -> tuple[list, list]:
    """(originals, the other wikinews articles); each with a ``published`` time from its date."""
    rows = load_wikinews(data_dir)
    rng = random.Random(seed)
    rng.shuffle(rows)
    # an original must stay >= 40 words after truncation to 60 %: take articles of >= 120 words
    long_enough = [r for r in rows if len(r["text"].split()) >= 120]
    originals = long_enough[:n_originals]
    chosen = {id(r) for r in originals}
    rest = [r for r in rows if id(r) not in chosen]
    base = datetime(2020, 1, 1, tzinfo=UTC)
    for j, r in enumerate([*originals, *rest]):
        try:
            day = datetime.fromisoformat(r["date"][:10]).replace(tzinfo=UTC)
        except ValueError:
            day = base
        r["published"] = day + timedelta(hours=8, minutes=j % 600)
    return originals, rest


def _detokenise(text: str) -> str:
    """ECB+ text is tokenised ("word , word 's"): glue punctuation back."""
    text = text.replace("`` ", '"').replace(" ''", '"').replace(" n't", "n't").replace("( ", "(")
    return re.sub(r" ([,.;:!?%)]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)", r"\1", text)


def extra_distractors(data_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Unrelated real news besides wikinews, when present: the English SemEval articles, the galaxy
    story sets and ECB+ (the last two hold several reports of each event)."""
    out: list[dict[str, Any]] = []
    sem = data_dir / "similarity" / "semeval2022-task8-pairs.csv"
    if sem.exists():
        seen = set()
        for r in load_semeval(data_dir):
            a, b = [*r["pair_id"].split("_"), ""][:2]
            for aid, lang, text in ((a, r["lang1"], r["text1"]), (b, r["lang2"], r["text2"])):
                if lang == "en" and aid not in seen:
                    seen.add(aid)
                    out.append(
                        {
                            "pool": "semeval-en",
                            "url": f"https://semeval{hash_id(aid) % 89}.example/{aid}",
                            "title": text.strip().split("\n", 1)[0][:100] or aid,
                            "text": text.strip(),
                            "event": None,
                        }
                    )
    for path in sorted((data_dir / "stories" / "galaxy").glob("*.json")):
        for e_i, ev in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            for a_i, art in enumerate(ev.get("articles", [])):
                url = art.get("ext_url") or f"https://galaxy.example/{path.stem}/{e_i}/{a_i}"
                out.append(
                    {
                        "pool": "galaxy",
                        "url": f"https://galaxy{a_i % 13}.example/{path.stem}/{e_i}/{a_i}",
                        "source_url": url,
                        "title": art.get("title") or "untitled",
                        "text": art.get("text") or "",
                        "event": f"galaxy:{path.stem}:{e_i}",
                    }
                )
    ecb = data_dir / "stories" / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.exists():
        for line in ecb.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            # the first line of an ECB+ document is often its source URL: not article text
            text = " ".join(x for x in d["text"].split("\n") if not x.startswith("http"))
            text = _detokenise(text)
            out.append(
                {
                    "pool": "ecbplus",
                    "url": f"https://ecb{hash_id(d['doc_id']) % 31}.example/{d['doc_id']}",
                    "title": text[:80],
                    "text": text,
                    "event": f"ecb:{d['cluster_id']}",
                }
            )
    out = [o for o in out if len(o["text"].split()) >= 20]
    return out[:limit] if limit else out


def hash_id(x: Any) -> int:
    return zlib.crc32(str(x).encode())


def _edges_by_label(
    desk: Any, label_of_url: dict[str, str]
) -> tuple[list[tuple[str, str, str]], dict[int, str]]:
    from newsdesk import ArticleNotFoundError, InvalidURLError, normalize_url

    label: dict[int, str] = {}
    for url, lab in label_of_url.items():
        with contextlib.suppress(ArticleNotFoundError, InvalidURLError):
            label[desk.get_article(normalize_url(url)).id] = lab
    return [
        (label.get(e.copy_id, f"#{e.copy_id}"), label.get(e.original_id, f"#{e.original_id}"), e.kind.value)
        for e in desk.copy_edges()
    ], label


def _distractor_fetched(d: dict[str, Any]) -> Any:
    from newsdesk import EntryHints, Fetched

    hints = EntryHints(title=d["title"], published=d.get("published"), text=d["text"])
    return Fetched(url=d["url"], body=b"", origin=d["url"], source=d.get("pool", "Wikinews"), hints=hints)


def build_base(folder: Path, distractors: list[dict[str, Any]]) -> dict[str, Any]:
    """A desk holding only the distractors (traced as they arrive); each scenario starts from a copy
    of its file. Returns the path, the labels by URL and the edges drawn among the distractors."""
    from newsdesk import open_desk

    path = folder / "base.db"
    label_of_url = {
        d["url"]: f"distractor:{d.get('pool', 'wikinews')}:{j}" for j, d in enumerate(distractors)
    }
    desk = open_desk(path)
    try:
        t0 = time.perf_counter()
        report = desk.ingest_items([_distractor_fetched(d) for d in distractors])
        seconds = time.perf_counter() - t0
        predicted, label = _edges_by_label(desk, label_of_url)
        ev = {label.get(e.copy_id): e.evidence for e in desk.copy_edges()}
    finally:
        desk.close()
    by_label = {label_of_url[d["url"]]: d for d in distractors}
    edges = []
    for c, o, k in predicted:
        dc, do = by_label.get(c, {}), by_label.get(o, {})
        edges.append(
            {
                "copy": c,
                "original": o,
                "kind": k,
                "same_event": bool(dc.get("event")) and dc.get("event") == do.get("event"),
                "containment": ev.get(c, {}).get("containment"),
                "aligned": ev.get(c, {}).get("aligned_sentences"),
                "resemblance": ev.get(c, {}).get("resemblance"),
                "copy_text": dc.get("text", "")[:200],
                "original_text": do.get("text", "")[:200],
            }
        )
    return {
        "path": path,
        "labels": label_of_url,
        "stored": len(label),
        "rejected": len(report.rejected),
        "seconds": seconds,
        "edges": edges,
    }


def run_scenario(
    scenarios: list[str],
    originals: list[dict[str, Any]],
    base: dict[str, Any],
    seed: int,
) -> dict[str, Any]:
    """A copy of the distractor desk, then the originals and the scenarios' copies in a shuffled order.
    Edges between two distractors are left out of the scoring (``build_base`` reports them)."""
    import shutil

    from newsdesk import open_desk

    rng = random.Random(f"{seed}:{','.join(scenarios)}")
    items: list[tuple[Any, str]] = []
    truth: dict[str, tuple[str, str]] = {}
    facts: dict[str, dict[str, Any]] = {}
    label_of_url: dict[str, str] = dict(base["labels"])
    for i, o in enumerate(originals):
        items.append((_original_fetched(i, o), f"orig:{i}"))
        for sc in scenarios:
            f, lab, fx = make_copy(sc, i, o, rng)
            items.append((f, lab))
            truth[lab] = (f"orig:{i}", SCENARIOS[sc][0] if sc != "early" else fx["early"])
            facts[lab] = fx
    for f, lab in items:
        label_of_url[f.url] = lab
    rng.shuffle(items)
    with tempfile.TemporaryDirectory(prefix="nd-prov-syn-") as tmp:
        path = Path(tmp) / "syn.db"
        shutil.copyfile(base["path"], path)
        desk = open_desk(path)
        try:
            t0 = time.perf_counter()
            report = desk.ingest_items([f for f, _ in items])
            seconds = time.perf_counter() - t0
            predicted, label = _edges_by_label(desk, label_of_url)
            evidence: dict[str, dict[str, Any]] = {}
            for e in desk.copy_edges():
                c, o = label.get(e.copy_id, f"#{e.copy_id}"), label.get(e.original_id, f"#{e.original_id}")
                evidence[c] = evidence[o + "<-" + c] = e.evidence
        finally:
            desk.close()
    predicted = [
        p for p in predicted if not (p[0].startswith("distractor:") and p[1].startswith("distractor:"))
    ]
    expected: dict[str, set[str]] = {}
    for sc in scenarios:
        expected[SCENARIOS[sc][0]] = SCENARIOS[sc][1]
    for t in EARLY_TYPES:
        expected[t] = SCENARIOS["early"][1]
    result = score(truth, predicted, expected)
    result["seconds"] = seconds
    result["articles"] = len(items)
    result["rejected"] = len(report.rejected)
    by_copy = {c: (o, k) for c, o, k in predicted}
    result["misses"] = [c for c, (o, _) in truth.items() if by_copy.get(c, ("",))[0] != o]
    result["facts"] = facts
    result["evidence"] = evidence
    # predicted kind by scenario (the label's prefix): how a kind is named inside big groups
    by_scenario: dict[str, Counter[str]] = defaultdict(Counter)
    for c, o, k in predicted:
        if c in truth and truth[c][0] == o:
            by_scenario[c.split(":")[0]][k] += 1
    result["kinds_by_scenario"] = {sc: dict(v) for sc, v in sorted(by_scenario.items())}
    return result


def _miss_detail(label: str, orig_text: str, copy_text: str) -> dict[str, Any]:
    from newsdesk import provenance as pv

    sim = pv.compare(copy_text, orig_text)
    fa, fb = pv.fingerprint(copy_text), pv.fingerprint(orig_text)
    return {
        "copy": label,
        "words": (len(copy_text.split()), len(orig_text.split())),
        "containment": sim.containment,
        "aligned": sim.aligned,
        "resemblance": sim.resemblance,
        "kind": sim.kind,
        "shared_text_bands": len(set(fa.text_keys) & set(fb.text_keys)),
        "shared_anchor_bands": len(set(fa.anchor_keys) & set(fb.anchor_keys)),
        "anchor_bands": (len(fa.anchor_keys), len(fb.anchor_keys)),
    }


def run_synthetic(
    data_dir: Path, *, quick: bool = False, seed: int = 1, n_originals: int | None = None
) -> dict[str, Any]:
    n = n_originals or (40 if quick else 200)
    originals, rest = _prepare_wikinews(data_dir, n, seed)
    distractors = rest[:40] if quick else rest
    extra = extra_distractors(data_dir, limit=200 if quick else None)
    for d in distractors:
        d["pool"] = "wikinews"
    distractors = [*distractors, *extra]
    _FILLER[:] = [
        p for d in rest for p in d["text"].split("\n") if 25 <= len(p.split()) <= 80 and p[:1].isupper()
    ]
    scenarios = list(SCENARIOS)
    out: dict[str, Any] = {
        "originals": len(originals),
        "distractors": dict(Counter(d.get("pool", "wikinews") for d in distractors)),
        "original_words_median": sorted(len(o["text"].split()) for o in originals)[len(originals) // 2],
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory(prefix="nd-prov-base-") as tmp:
        base = build_base(Path(tmp), distractors)
        out["distractor_desk"] = {k: v for k, v in base.items() if k not in ("path", "labels")}
        for sc in scenarios:
            r = run_scenario([sc], originals, base, seed)
            _finish(r, originals, sc)
            out["scenarios"][sc] = r
        if not quick:
            r = run_scenario([s for s in scenarios if s != "sub40-all"], originals, base, seed)
            _finish(r, originals, "mixed")
            out["mixed"] = r
    # pooled over the single-kind scenarios: precision of each predicted kind
    out["by_predicted_kind"] = pooled_kinds(out["scenarios"])
    return out


#: Scenarios that stress the election (copies published close to or before their originals): their
#: reversed edges are election errors, reported by publication delay, not detection errors.
ELECTION_SCENARIOS = ("early", "boilerplate-soon", "expanded-soon")


def pooled_kinds(scenarios: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per predicted kind over the detection scenarios: edges, precision (correct direction) and
    linked precision (either direction)."""
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, r in scenarios.items():
        if name in ELECTION_SCENARIOS:
            continue
        for k, v in r["by_predicted_kind"].items():
            pooled[k][0] += v["edges"]
            pooled[k][1] += round((v["precision"] or 0) * v["edges"])
            pooled[k][2] += round((v["linked"] or 0) * v["edges"])
    return {
        k: {"edges": e, "precision": _ratio(c, e), "linked": _ratio(lk, e)}
        for k, (e, c, lk) in sorted(pooled.items())
    }


def _finish(r: dict[str, Any], originals: list[dict[str, Any]], sc: str) -> None:
    """Details of misses and false edges, then drop the bulky fields."""
    details = []
    for lab in r["misses"][:25]:
        i = int(lab.split(":")[1])
        details.append(
            {
                **_miss_detail(lab, originals[i]["text"], r["facts"][lab]["text"]),
                **({"early": r["facts"][lab]["early"]} if "early" in r["facts"][lab] else {}),
            }
        )
    false = []
    for c, o, k in r["false_edges"][:10]:
        ev = r["evidence"].get(c, {})
        false.append(
            {
                "copy": c,
                "original": o,
                "kind": k,
                **{x: ev.get(x) for x in ("containment", "aligned_sentences", "resemblance")},
            }
        )
    r["miss_details"] = details
    r["false_details"] = false
    r["false_edges"] = r["false_edges"][:50]
    subs = [fx for fx in r["facts"].values() if "replaced" in fx]
    if subs:
        r["replaced_share"] = sum(x["replaced"] for x in subs) / max(1, sum(x["eligible"] for x in subs))
    if any("early" in fx for fx in r["facts"].values()):
        r["election_by_type"] = _early_election(r)
    r["election_by_delay"] = _election_by_delay(r)
    if any("added_at" in fx for fx in r["facts"].values()):
        r["election_by_added_at"] = _election_by_fact(r, "added_at")
    for k in ("facts", "evidence"):
        r.pop(k)


def _election_by_delay(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Of the copy/original pairs found (an edge either way), the share where the original is elected,
    by how far apart they were published: within newsdesk's clock-skew window or not, copy after or
    before its original."""
    from newsdesk import provenance as pv

    skew_min = getattr(pv, "CLOCK_SKEW", 0) / 60
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c, fx in r["facts"].items():
        orig = f"orig:{c.split(':')[1]}"
        d = fx["delay_min"]
        bucket = f"copy {'after' if d > 0 else 'before'}, {'within' if abs(d) <= skew_min else 'beyond'} {skew_min / 60:g} h"
        right, wrong = (orig + "<-" + c) in r["evidence"], (c + "<-" + orig) in r["evidence"]
        out[bucket][0] += 1
        out[bucket][1] += right or wrong
        out[bucket][2] += right
    return {b: {"n": n, "found": f, "elected_right": _ratio(e, f)} for b, (n, f, e) in sorted(out.items())}


def _election_by_fact(r: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    """Of the pairs found, the share electing the true original, by a fact of the copy."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c, fx in r["facts"].items():
        orig = f"orig:{c.split(':')[1]}"
        right, wrong = (orig + "<-" + c) in r["evidence"], (c + "<-" + orig) in r["evidence"]
        v = out[str(fx.get(key))]
        v[0] += 1
        v[1] += right or wrong
        v[2] += right
    return {b: {"n": n, "found": f, "elected_right": _ratio(e, f)} for b, (n, f, e) in sorted(out.items())}


def _early_election(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per early-copy type: detected share, the share where the true original is elected (the copy
    points at it), and the reasons election gave (from the edge between the two, either way)."""
    out: dict[str, dict[str, Any]] = {}
    for t in EARLY_TYPES:
        labs = [c for c, fx in r["facts"].items() if fx.get("early") == t]
        k = r["kinds"].get(t, {})
        reasons: Counter[str] = Counter()
        for c in labs:
            orig = f"orig:{c.split(':')[1]}"
            ev = r["evidence"].get(orig + "<-" + c) or r["evidence"].get(c + "<-" + orig)
            if ev:
                reasons[str(ev.get("election"))] += 1
        out[t] = {
            "n": len(labs),
            "detected": k.get("detected"),
            "elected_right": k.get("recall"),
            "reasons": dict(reasons),
        }
    return out


# -- (c) the same-story control ------------------------------------------------------------------------


def load_semeval(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / "similarity" / "semeval2022-task8-pairs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_control(data_dir: Path, *, quick: bool = False) -> dict[str, Any]:
    from newsdesk import ArticleNotFoundError, EntryHints, Fetched, InvalidURLError, open_desk

    rows = load_semeval(data_dir)
    texts: dict[str, tuple[str, str]] = {}
    pairs = []
    for r in rows:
        a, b = [*r["pair_id"].split("_"), ""][:2]
        texts.setdefault(a, (r["lang1"], r["text1"]))
        texts.setdefault(b, (r["lang2"], r["text2"]))
        pairs.append((a, b, r["lang1"], r["lang2"], float(r["Overall"])))
    items = []
    for aid, (lang, text) in sorted(texts.items()):
        text = text.strip()
        title = text.split("\n", 1)[0][:120] or aid
        url = f"https://outlet{hash_id(aid) % 97}.example/{lang}/{aid}"
        items.append(
            Fetched(
                url=url,
                body=b"",
                origin=url,
                source=f"outlet{hash_id(aid) % 97}",
                hints=EntryHints(title=title, text=text, language=lang),
            )
        )
    with tempfile.TemporaryDirectory(prefix="nd-prov-ctl-") as tmp:
        desk = open_desk(Path(tmp) / "ctl.db", min_words=1)
        try:
            t0 = time.perf_counter()
            desk.ingest_items(items)
            seconds = time.perf_counter() - t0
            by_id: dict[int, str] = {}
            for f in items:
                with contextlib.suppress(ArticleNotFoundError, InvalidURLError):
                    by_id[desk.get_article(f.url).id] = f.url.rsplit("/", 1)[1]
            edges = [
                (by_id.get(e.copy_id, "?"), by_id.get(e.original_id, "?"), e.kind.value, e.evidence)
                for e in desk.copy_edges()
            ]
            texts_stored = {v: desk.get_article(k).article.text for k, v in by_id.items()}
        finally:
            if hasattr(desk, "close"):
                desk.close()
    comp = _components((c, o) for c, o, _, _ in edges)
    from newsdesk import provenance as pv

    def subset(name: str, keep: list[tuple[str, str, str, str, float]]) -> dict[str, Any]:
        flagged = [p for p in keep if p[0] in comp and p[1] in comp and comp[p[0]] == comp[p[1]]]
        both_long = [
            p for p in keep if all(len((texts_stored.get(x) or "").split()) >= pv.MIN_WORDS for x in p[:2])
        ]
        examples = []
        for a, b, la, lb, ov in flagged[:10]:
            sim = pv.compare(texts_stored.get(a, ""), texts_stored.get(b, ""))
            examples.append(
                {
                    "pair": f"{a}_{b}",
                    "langs": f"{la}-{lb}",
                    "overall": ov,
                    "containment": sim.containment,
                    "aligned": sim.aligned,
                    "resemblance": sim.resemblance,
                    "kind": sim.kind,
                    "a": texts_stored.get(a, "")[:160],
                    "b": texts_stored.get(b, "")[:160],
                }
            )
        return {
            "name": name,
            "pairs": len(keep),
            "comparable": len(both_long),
            "flagged": len(flagged),
            "rate": _ratio(len(flagged), len(keep)),
            "examples": examples,
        }

    same = [p for p in pairs if p[4] <= 1.5]
    out = {
        "articles": len(texts),
        "stored": len(by_id),
        "seconds": seconds,
        "edges": len(edges),
        "edge_list": [
            (c, o, k, ev.get("containment"), ev.get("aligned_sentences"), ev.get("resemblance"))
            for c, o, k, ev in edges
        ],
        "sets": [
            subset("en-en, Overall <= 1.5", [p for p in same if p[2] == p[3] == "en"]),
            subset("same language, Overall <= 1.5", [p for p in same if p[2] == p[3]]),
            subset("all languages, Overall <= 1.5", same),
            subset("all pairs (any score)", pairs),
        ],
    }
    # how close do same-story English pairs come to the thresholds?
    sims = []
    for a, b, la, lb, _ in same:
        if la == lb == "en" and a in texts_stored and b in texts_stored:
            s = pv.compare(texts_stored[a], texts_stored[b])
            sims.append((s.containment, s.aligned, s.resemblance))
    if sims:
        out["en_max"] = {
            "containment": max(s[0] for s in sims),
            "aligned": max(s[1] for s in sims),
            "resemblance": max(s[2] for s in sims),
        }
    return out


# -- sensitivity of the thresholds --------------------------------------------------------------------


def _pairs_for_sweep(data_dir: Path, seed: int, n_originals: int, cap: int) -> tuple[dict, list]:
    """Positives: synthetic copies per scenario (copy, original); negatives: reports of one event by
    different outlets (ECB+ clusters, galaxy events) and SemEval same-language pairs, capped."""
    rng = random.Random(seed)
    originals, _ = _prepare_wikinews(data_dir, n_originals, seed)
    positives: dict[str, list[tuple[str, str]]] = {}
    for sc in ("boilerplate", "near", "reordered", "sub10", "sub20", "sub40", "sub60", "sub40-all"):
        pairs = []
        for i, o in enumerate(originals):
            _, _, fx = make_copy(sc, i, o, rng)
            pairs.append((fx["text"], o["text"]))
        positives[sc] = pairs
    negatives: list[tuple[str, str, str]] = []
    extra = extra_distractors(data_dir)
    by_event: dict[str, list[str]] = defaultdict(list)
    for d in extra:
        if d.get("event"):
            by_event[d["event"]].append(d["text"])
    for ev, texts in by_event.items():
        pool = "ecbplus" if ev.startswith("ecb") else "galaxy"
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                negatives.append((pool, texts[a], texts[b]))
    if (data_dir / "similarity" / "semeval2022-task8-pairs.csv").exists():
        for r in load_semeval(data_dir):
            if r["lang1"] == r["lang2"] and float(r["Overall"]) <= 2.5:
                negatives.append(
                    (f"semeval-{'en' if r['lang1'] == 'en' else 'other'}", r["text1"], r["text2"])
                )
    rng.shuffle(negatives)
    kept: dict[str, int] = Counter()
    capped = []
    for pool, a, b in negatives:
        if kept[pool] < cap:
            kept[pool] += 1
            capped.append((pool, a, b))
    return positives, capped


def run_sweep(data_dir: Path, *, quick: bool = False, seed: int = 1) -> dict[str, Any]:
    """How recall on synthetic copies and copies called among same-story reports move with the
    thresholds (the LSH stage left out: every pair is compared). ALIGN_SIMILARITY changes the
    measures, so they are computed once per value; the other thresholds are applied after."""
    from newsdesk import provenance as pv
    from newsdesk.provenance import _compare

    positives, negatives = _pairs_for_sweep(data_dir, seed, 40 if quick else 120, 300 if quick else 1500)
    saved = _compare.ALIGN_SIMILARITY
    measures: dict[float, dict[str, list[tuple[float, float, float, int]]]] = {}
    lsh: dict[str, dict[str, float]] = {}
    try:
        for a_sim in (0.15, 0.22, 0.3, 0.4):
            _compare.ALIGN_SIMILARITY = a_sim  # read where it is defined
            m: dict[str, list[tuple[float, float, float, int]]] = {}
            for sc, pairs in positives.items():
                m[sc] = [_measure(pv, x, y) for x, y in pairs]
            for pool, x, y in negatives:
                m.setdefault("neg:" + pool, []).append(_measure(pv, x, y))
            measures[a_sim] = m
    finally:
        _compare.ALIGN_SIMILARITY = saved
    # LSH: share of pairs that share at least one band (text, anchor, either)
    for sc, pairs in [
        *positives.items(),
        *[
            ("neg:" + p, [(x, y) for q, x, y in negatives if q == p])
            for p in sorted({q for q, _, _ in negatives})
        ],
    ]:
        t = an = either = 0
        for x, y in pairs:
            fx, fy = pv.fingerprint(x), pv.fingerprint(y)
            st, sa = (
                bool(set(fx.text_keys) & set(fy.text_keys)),
                bool(set(fx.anchor_keys) & set(fy.anchor_keys)),
            )
            t, an, either = t + st, an + sa, either + (st or sa or fx.exact == fy.exact)
        n = max(1, len(pairs))
        lsh[sc] = {"n": len(pairs), "text_band": t / n, "anchor_band": an / n, "candidate": either / n}
    grid = []
    for a_sim, m in measures.items():
        for near in (0.5, 0.6, 0.7):
            for share in (0.5, 0.6, 0.7, 0.8):
                for res in (0.2, 0.3, 0.4, 0.45, 0.5):
                    for min_sent in (0, 4, 6):
                        for min_words in (40, 80):
                            row: dict[str, Any] = {
                                "ALIGN_SIMILARITY": a_sim,
                                "NEAR_CONTAINMENT": near,
                                "ALIGN_SHARE": share,
                                "REWRITE_RESEMBLANCE": res,
                                "MIN_WORDS": min_words,
                                "MIN_REWRITE_SENTENCES": min_sent,
                            }
                            for key, vals in m.items():
                                called = sum(
                                    1
                                    for c, al, rs, w, ns in vals
                                    if w >= min_words
                                    and (c >= near or (al >= share and rs >= res and ns >= min_sent))
                                )
                                row[key] = (
                                    called / max(1, len(vals)) if not key.startswith("neg:") else called
                                )
                            grid.append(row)
    neg_n = {k: len(v) for k, v in measures[0.22].items() if k.startswith("neg:")}
    # the negatives the current constants call copies, for a look by hand
    current = []
    cur = measures.get(0.22, {})
    for key, vals in cur.items():
        if not key.startswith("neg:"):
            continue
        pool = key[4:]
        texts = [(a, b) for q, a, b in negatives if q == pool]
        for (c, al, rs, w, ns), (a, b) in zip(vals, texts, strict=True):
            if w >= pv.MIN_WORDS and (
                c >= pv.NEAR_CONTAINMENT
                or (al >= pv.ALIGN_SHARE and rs >= pv.REWRITE_RESEMBLANCE and ns >= pv.MIN_REWRITE_SENTENCES)
            ):
                current.append(
                    {
                        "pool": pool,
                        "containment": c,
                        "aligned": al,
                        "resemblance": rs,
                        "words": w,
                        "sentences": ns,
                        "a": a[:200],
                        "b": b[:200],
                    }
                )
    # distributions: quantiles of each measure, per set, at the current ALIGN_SIMILARITY
    dist = {}
    for key, vals in cur.items():
        if not vals:
            continue
        qs = {}
        for j, name in enumerate(("containment", "aligned", "resemblance")):
            xs = sorted(v[j] for v in vals)
            qs[name] = [round(xs[int(q * (len(xs) - 1))], 3) for q in (0.01, 0.05, 0.5, 0.95, 0.99)] + [
                xs[-1]
            ]
        dist[key] = qs
    return {
        "negatives": neg_n,
        "positives": {k: len(v) for k, v in positives.items()},
        "grid": grid,
        "lsh": lsh,
        "current_negatives_called": current,
        "quantiles": dist,
    }


def _measure(pv: Any, a: str, b: str) -> tuple[float, float, float, int, int]:
    """(containment, aligned, resemblance, words of the shorter, sentences aligned in order, the lower
    of both ways: what ``MIN_REWRITE_SENTENCES`` counts)."""
    s = pv.compare(a, b)
    return (
        s.containment,
        s.aligned,
        s.resemblance,
        min(len(a.split()), len(b.split())),
        s.aligned_sentences,
    )


# -- throughput: fingerprint + lookup with a large index -----------------------------------------------


class TextGenerator:
    """Article-like texts from the wikinews vocabulary: words drawn by their frequency, names
    (capitalised words not at a sentence start) by theirs, numbers; lengths drawn from the wikinews
    word counts. Distinct generated articles share common words and names but (almost) no 5-word
    shingles, as distinct real articles do."""

    def __init__(self, texts: list[str], seed: int) -> None:
        import numpy as np

        words: Counter[str] = Counter()
        names: Counter[str] = Counter()
        lengths = []
        for t in texts:
            toks = re.findall(r"[A-Za-z][\w'-]*|\d[\d,.]*\d|\d", t)
            lengths.append(min(max(len(t.split()), 80), 1500))
            for j, w in enumerate(toks):
                if w[0].isupper():
                    if j:
                        names[w] += 1
                elif w[0].isalpha():
                    words[w] += 1
        if not words:  # no data: a small built-in vocabulary
            for w in COMMON:
                words[w] += 1
            for w in ("London", "Paris", "Smith", "Jones", "Council", "Ministry"):
                names[w] += 1
            lengths = [300, 500, 700]
        self.np = np
        self.rng = np.random.default_rng(seed)
        self.words = np.array(list(words), dtype=object)
        p = np.array(list(words.values()), dtype=float)
        self.wp = p / p.sum()
        self.names = np.array(list(names), dtype=object)
        q = np.array(list(names.values()), dtype=float)
        self.np_ = q / q.sum()
        self.lengths = np.array(lengths)

    def article(self) -> str:
        np, rng = self.np, self.rng
        n = int(rng.choice(self.lengths))
        toks = rng.choice(self.words, size=n, p=self.wp)
        kind = rng.random(n)
        names = rng.choice(self.names, size=n, p=self.np_)
        nums = rng.integers(1, 100000, size=n)
        out = []
        for j in range(n):
            if kind[j] < 0.10:
                out.append(names[j])
            elif kind[j] < 0.12:
                out.append(str(nums[j]))
            else:
                out.append(toks[j])
        # sentences of ~20 words
        sents = []
        for s in range(0, n, 20):
            chunk = out[s : s + 20]
            chunk[0] = chunk[0][:1].upper() + chunk[0][1:]
            sents.append(" ".join(chunk) + ".")
        paras = [" ".join(sents[k : k + 3]) for k in range(0, len(sents), 3)]
        del np
        return "\n".join(paras)

    def batch(self, n: int) -> list[str]:
        return [self.article() for _ in range(n)]


_GEN: TextGenerator | None = None


def _gen_fp_chunk(args: tuple[int, int, int]) -> list[tuple[int, str, int, tuple[int, ...]]]:
    """Generate and fingerprint ``n`` articles with ids from ``start`` (in a worker process)."""
    start, n, seed = args
    from newsdesk import provenance as pv

    assert _GEN is not None
    _GEN.rng = _GEN.np.random.default_rng(seed * 1_000_003 + start)
    out = []
    for j in range(n):
        fp = pv.fingerprint(_GEN.article())
        out.append((start + j, fp.exact, fp.words, fp.index.keys))
    return out


def _bounded_imap(pool: Any, tasks: list[tuple[int, int, int]], window: int) -> Iterable[Any]:
    """``pool.imap`` with at most ``window`` chunks in flight: the workers fingerprint faster than one
    connection inserts, and an unbounded imap would queue every result in memory."""
    for i in range(0, len(tasks), window):
        yield from pool.imap(_gen_fp_chunk, tasks[i : i + window])


def _populate(db_path: Path, start: int, stop: int, gen: TextGenerator, seed: int, workers: int) -> float:
    """Index generated articles ``start``..``stop`` (ids start+1..stop) straight into the tables:
    minimal ``articles`` rows (foreign keys stay ON), ``fingerprints`` (with the keys listed, as
    schema 13 does) and ``lsh_keys``; a ``lsh_keys_article`` index (before schema 13) is dropped for
    the load and built again after. Returns seconds."""
    global _GEN
    import multiprocessing as mp

    _GEN = gen
    t0 = time.perf_counter()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -2000000")
    try:  # schema 12 on: the word index's triggers read texts through sqlar_uncompress
        from newsdesk.store._texts import register

        register(db)
    except ImportError:
        pass
    indexed = bool(db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'lsh_keys_article'").fetchone())
    listed = any(r[1] == "keys" for r in db.execute("PRAGMA table_info(fingerprints)"))
    db.execute("DROP INDEX IF EXISTS lsh_keys_article")
    chunk = 2000
    tasks = [(s, min(chunk, stop - s), seed) for s in range(start, stop, chunk)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    pool = ctx.Pool(workers) if (ctx and workers > 1) else None
    results = _bounded_imap(pool, tasks, 2 * workers) if pool else map(_gen_fp_chunk, tasks)
    try:
        for rows in results:
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO articles (id, canonical_url, url, title, first_seen, last_seen, text, word_count, content_hash) "
                "VALUES (?, ?, ?, 'g', '2020-01-01', '2020-01-01', '', ?, ?)",
                (
                    (i + 1, f"https://gen.example/{i + 1}", f"https://gen.example/{i + 1}", w, e[:16])
                    for i, e, w, _ in rows
                ),
            )
            if listed:
                db.executemany(
                    "INSERT INTO fingerprints (article_id, exact, words, keys) VALUES (?, ?, ?, ?)",
                    ((i + 1, e, w, struct.pack(f"<{len(ks)}q", *ks)) for i, e, w, ks in rows),
                )
            else:
                db.executemany(
                    "INSERT INTO fingerprints (article_id, exact, words) VALUES (?, ?, ?)",
                    ((i + 1, e, w) for i, e, w, _ in rows),
                )
            keyrows = sorted({(k, i + 1) for i, _, _, ks in rows for k in ks})
            db.executemany("INSERT OR IGNORE INTO lsh_keys (key, article_id) VALUES (?, ?)", keyrows)
            db.execute("COMMIT")
    finally:
        if pool:
            pool.close()
            pool.join()
    if indexed:
        db.execute("CREATE INDEX IF NOT EXISTS lsh_keys_article ON lsh_keys (article_id)")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - t0


def _db_sizes(db_path: Path) -> dict[str, int]:
    db = sqlite3.connect(db_path)
    try:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        sizes = {str(n): int(s) for n, s in rows}
    except sqlite3.Error:
        sizes = {}
    db.close()
    sizes["file"] = db_path.stat().st_size
    return sizes


def _rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _lookup_child(db_path: str, queries_path: str, passes: int = 3) -> dict[str, Any]:
    """In a child process: time fingerprint + store.candidates over the query texts.

    ``passes`` passes over all queries; the pass with the least CPU time counts. Rates are per CPU
    second of this process (``time.process_time``: user + system, so SQLite's reads count), which is
    what "on one core" means and what other processes on a shared machine do not disturb; the wall
    clock rates of the same pass are reported beside them.
    """
    from newsdesk import provenance as pv
    from newsdesk.store import open_store

    queries = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    texts = [q["text"] for q in queries]
    store = open_store(db_path)
    rss0 = _rss_kb()
    load0 = os.getloadavg()
    # warm-up: a few queries outside the timing (imports, statement cache)
    for t in texts[:20]:
        fp = pv.fingerprint(t)
        store.candidates(fp.exact, fp.index.keys, exclude=-1, limit=20)
    best: dict[str, Any] | None = None
    cpu = time.process_time
    wall = time.perf_counter
    for _ in range(max(1, passes)):
        fp_cpu = lookup_cpu = fp_wall = lookup_wall = 0.0
        found = copies = copies_found = n_candidates = 0
        lat: list[float] = []
        buckets: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for q, t in zip(queries, texts, strict=True):
            c0, w0 = cpu(), wall()
            fp = pv.fingerprint(t)
            c1, w1 = cpu(), wall()
            cands = store.candidates(fp.exact, fp.index.keys, exclude=-1, limit=20)
            c2, w2 = cpu(), wall()
            fp_cpu += c1 - c0
            lookup_cpu += c2 - c1
            fp_wall += w1 - w0
            lookup_wall += w2 - w1
            lat.append(w2 - w1)
            found += bool(cands)
            n_candidates += len(cands)
            if q["expect"]:
                copies += 1
                copies_found += q["expect"] in cands
            b = "<300 words" if fp.words < 300 else "300-699 words" if fp.words < 700 else ">=700 words"
            buckets[b][0] += 1
            buckets[b][1] += c2 - c0
        if best is None or fp_cpu + lookup_cpu < best["cpu"]:
            best = {
                "cpu": fp_cpu + lookup_cpu,
                "fp_cpu": fp_cpu,
                "lookup_cpu": lookup_cpu,
                "fp_wall": fp_wall,
                "lookup_wall": lookup_wall,
                "lat": sorted(lat),
                "found": found,
                "copies": copies,
                "copies_found": copies_found,
                "n_candidates": n_candidates,
                "buckets": dict(buckets),
            }
    assert best is not None
    n = len(texts)
    lat = best["lat"]
    return {
        "queries": n,
        "passes": passes,
        "per_s": n / best["cpu"],
        "fingerprint_per_s": n / best["fp_cpu"],
        "lookup_per_s": n / best["lookup_cpu"],
        "per_s_wall": n / (best["fp_wall"] + best["lookup_wall"]),
        "fingerprint_per_s_wall": n / best["fp_wall"],
        "lookup_per_s_wall": n / best["lookup_wall"],
        "lookup_p50_ms": lat[n // 2] * 1000,
        "lookup_p99_ms": lat[min(n - 1, int(n * 0.99))] * 1000,
        "with_candidates": best["found"],
        "candidates_mean": best["n_candidates"] / n,
        "copies_queried": best["copies"],
        "copy_original_in_candidates": _ratio(best["copies_found"], best["copies"]),
        # (no ru_maxrss: Linux carries the parent's high-water mark across fork + exec into it)
        "rss_before_kb": rss0,
        "rss_after_kb": _rss_kb(),
        # the machine's load (1-minute average) when the lookups began and ended: how shared it was
        "load_before": load0[0],
        "load_after": os.getloadavg()[0],
        "per_s_by_length": {k: {"n": v[0], "per_s": v[0] / v[1]} for k, v in sorted(best["buckets"].items())},
        "words_mean": sum(len(t.split()) for t in texts) / n,
    }


def run_throughput(
    data_dir: Path,
    *,
    quick: bool = False,
    sizes: list[int] | None = None,
    seed: int = 1,
    keep: Path | None = None,
    queries: int = 2000,
) -> dict[str, Any]:
    from newsdesk import open_desk

    wiki = load_wikinews(data_dir) if (data_dir / "articles" / "wikinews").is_dir() else []
    sizes = sizes or ([10_000] if quick else [10_000, 100_000, 1_000_000])
    gen = TextGenerator([w["text"] for w in wiki], seed)
    try:
        workers = len(os.sched_getaffinity(0))
    except AttributeError:
        workers = os.cpu_count() or 1
    tmp = None if keep else tempfile.TemporaryDirectory(prefix="nd-prov-tp-")
    folder = keep or Path(tmp.name)  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "index.db"
    desk = open_desk(db_path)  # creates and migrates the schema
    desk.close()
    with contextlib.closing(sqlite3.connect(db_path)) as db:  # a kept index is resumed
        done = int(db.execute("SELECT count(*) FROM fingerprints").fetchone()[0])
    # queries: fresh generated articles (not indexed), near copies of indexed ones, real wikinews texts
    qgen = TextGenerator([w["text"] for w in wiki], seed + 99)
    n_fresh = queries // 2
    q_texts = qgen.batch(n_fresh)
    q_texts += [w["text"] for w in wiki][: queries // 4]
    copy_gen = TextGenerator([w["text"] for w in wiki], seed)  # same stream as the index's first chunk
    copy_gen.rng = copy_gen.np.random.default_rng(seed * 1_000_003 + 0)
    indexed = [copy_gen.article() for _ in range(queries - len(q_texts))]
    q_texts += [truncate(t, 0.8) for t in indexed]
    n_copies = len(indexed)
    expect = [None] * (len(q_texts) - n_copies) + list(range(1, n_copies + 1))  # ids of the first chunk
    qpath = folder / "queries.json"
    qpath.write_text(
        json.dumps([{"text": t, "expect": e} for t, e in zip(q_texts, expect, strict=True)]), encoding="utf-8"
    )
    out: dict[str, Any] = {
        "workers_for_population": workers,
        "levels": [],
        "query_mix": {
            "fresh_generated": n_fresh,
            "wikinews": min(len(wiki), queries // 4),
            "truncated_copies_of_indexed": len(q_texts) - n_fresh - min(len(wiki), queries // 4),
        },
    }
    try:
        for size in sorted(sizes):
            if size < done:
                continue
            pop = _populate(db_path, done, size, gen, seed, workers) if size > done else 0.0
            done = size
            sizes_ = _db_sizes(db_path)
            proc = subprocess.run(
                [sys.executable, "-m", "bench.provenance", "--_lookup", str(db_path), str(qpath)],
                env=_common.child_env(),
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            r.update(
                {
                    "indexed": size,
                    "populate_seconds": pop,
                    "db_bytes": sizes_["file"],
                    "bytes_per_article": sizes_["file"] / size,
                    "table_bytes_per_article": {
                        k: v / size
                        for k, v in sizes_.items()
                        if k
                        in ("lsh_keys", "lsh_keys_article", "fingerprints", "fingerprints_exact", "articles")
                    },
                }
            )
            out["levels"].append(r)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return out


# -- the whole run ------------------------------------------------------------------------------------


def run(
    data_dir: Path = DEFAULT_DATA,
    quick: bool = False,
    *,
    seed: int = 1,
    parts: Iterable[str] | None = None,
    n_originals: int | None = None,
    sizes: list[int] | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Every part (the threshold sweep only when not ``quick``); a part whose data is missing gets
    ``{"skipped": reason}``."""
    parts = set(parts or ("sample", "synthetic", "control", "throughput", *(() if quick else ("sweep",))))
    out: dict[str, Any] = {
        "quick": quick,
        "seed": seed,
        "data": str(data_dir),
        "machine": _common.machine(),
    }
    from newsdesk import provenance as pv

    out["constants"] = {
        k: getattr(pv, k)
        for k in (
            "SHINGLE",
            "TEXT_PERMS",
            "TEXT_ROWS",
            "ANCHOR_PERMS",
            "ANCHOR_ROWS",
            "NEAR_CONTAINMENT",
            "ALIGN_SIMILARITY",
            "ALIGN_SHARE",
            "REWRITE_RESEMBLANCE",
            "MIN_REWRITE_SENTENCES",
            "MIN_WORDS",
        )
    }
    if "sample" in parts:
        if (SAMPLE / "truth.json").exists():
            out["sample"] = run_sample(SAMPLE)
        else:
            out["sample"] = {"skipped": f"sample corpus not found at {SAMPLE}"}
    if "synthetic" in parts:
        if list((data_dir / "articles" / "wikinews").glob("*.csv")):
            out["synthetic"] = run_synthetic(data_dir, quick=quick, seed=seed, n_originals=n_originals)
        else:
            out["synthetic"] = {
                "skipped": f"wikinews articles not found at {data_dir / 'articles' / 'wikinews'}"
            }
    if "control" in parts:
        if (data_dir / "similarity" / "semeval2022-task8-pairs.csv").exists():
            out["control"] = run_control(data_dir, quick=quick)
        else:
            out["control"] = {"skipped": f"SemEval pairs not found at {data_dir / 'similarity'}"}
    if "sweep" in parts:
        if list((data_dir / "articles" / "wikinews").glob("*.csv")):
            out["sweep"] = run_sweep(data_dir, quick=quick, seed=seed)
        else:
            out["sweep"] = {"skipped": "wikinews articles not found"}
    if "throughput" in parts:
        out["throughput"] = run_throughput(data_dir, quick=quick, sizes=sizes, seed=seed, keep=keep)
    out["summary"], out["targets"] = summary(out)
    return out


#: The issue's targets: (figure in the summary, floor).
TARGETS = {
    "identical precision >= 0.99": ("identical_precision", 0.99),
    "identical recall >= 0.98": ("identical_recall", 0.98),
    "boilerplate-swap precision >= 0.99": ("boilerplate_precision", 0.99),
    "boilerplate-swap recall >= 0.98": ("boilerplate_recall", 0.98),
    "near precision >= 0.99": ("near_precision", 0.99),
    "near recall >= 0.98": ("near_recall", 0.98),
    "syndicated precision >= 0.99": ("syndicated_precision", 0.99),
    "syndicated recall >= 0.98": ("syndicated_recall", 0.98),
    "rewritten at 40 % substitution: recall >= 0.90": ("sub40_recall", 0.90),
    "rewritten at 40 % substitution: precision >= 0.97": ("sub40_precision", 0.97),
    "fingerprint + lookup >= 2,000 articles/s at 1,000,000 indexed": ("per_s_at_1000000", 2000.0),
}


def summary(result: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, bool | None]]:
    """Flat figures for a gate test, and each target of the issue met (True/False) or not measured (None)."""
    out: dict[str, float | None] = {}
    s = result.get("sample") or {}
    if "precision" in s:
        out["sample_precision"] = s["precision"]
        out["sample_recall"] = s["recall"]
        out["sample_election_recall"] = s["election_recall"]
        out["sample_election_precision"] = s["election_precision"]
    syn = result.get("synthetic") or {}
    for sc, r in syn.get("scenarios", {}).items():
        key = sc.replace("-", "_")
        if sc == "early":
            # precision/recall of the edge regardless of direction; election by early-copy type
            out["early_precision"] = r["linked_precision"]
            out["early_recall"] = r["detected_recall"]
            by = r.get("election_by_type", {})
            signal = [by[t] for t in ("credit", "declared") if t in by]
            out["early_election_with_signal"] = sum((x["elected_right"] or 0) * x["n"] for x in signal) / max(
                1, sum(x["n"] for x in signal)
            )
            nosig = [by[t] for t in ("no-signal", "truncated") if t in by]
            out["early_election_without_signal"] = sum(
                (x["elected_right"] or 0) * x["n"] for x in nosig
            ) / max(1, sum(x["n"] for x in nosig))
            continue
        out[f"{key}_precision"] = r["precision"]
        out[f"{key}_recall"] = r["recall"]
        out[f"{key}_linked_precision"] = r["linked_precision"]
        out[f"{key}_detected_recall"] = r["detected_recall"]
        out[f"{key}_election"] = r["election_recall"]
    if "mixed" in syn:
        out["mixed_precision"] = syn["mixed"]["precision"]
        out["mixed_recall"] = syn["mixed"]["recall"]
        out["mixed_election"] = syn["mixed"]["election_recall"]
    ctl = result.get("control") or {}
    for x in ctl.get("sets", []):
        name = {
            "en-en, Overall <= 1.5": "control_en_fp_rate",
            "same language, Overall <= 1.5": "control_same_language_fp_rate",
            "all languages, Overall <= 1.5": "control_all_fp_rate",
            "all pairs (any score)": "control_any_score_fp_rate",
        }[x["name"]]
        out[name] = x["rate"]
    for lv in (result.get("throughput") or {}).get("levels", []):
        out[f"per_s_at_{lv['indexed']}"] = lv["per_s"]
        out[f"fingerprint_per_s_at_{lv['indexed']}"] = lv["fingerprint_per_s"]
        out[f"lookup_per_s_at_{lv['indexed']}"] = lv["lookup_per_s"]
        out[f"bytes_per_article_at_{lv['indexed']}"] = lv["bytes_per_article"]
    targets = {
        name: (None if out.get(key) is None else out[key] >= floor) for name, (key, floor) in TARGETS.items()
    }
    return out, targets


# -- the report ----------------------------------------------------------------------------------------


def _targets_lines(result: dict[str, Any]) -> list[str]:
    lines = ["## Targets"]
    for name, ok in result.get("targets", {}).items():
        key = TARGETS[name][0]
        value = result["summary"].get(key)
        lines.append(
            f"- {'MET   ' if ok else 'MISSED' if ok is False else 'n/a   '} {name}: "
            + ("-" if value is None else f"{value:,.3f}" if value < 100 else f"{value:,.0f}")
        )
    return lines


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def report(result: dict[str, Any]) -> str:
    c = _common
    lines: list[str] = [c.machine_line(result["machine"]), ""]
    s = result.get("sample")
    if s:
        lines.append("## (a) Sample corpus (src/newsdesk/sample/truth.json)")
        if "skipped" in s:
            lines.append(f"skipped: {s['skipped']}")
        else:
            lines.append(
                f"{s['articles']} articles, {s['stored']} stored, {s['true_edges']} true copy edges, "
                f"{s['predicted_edges']} predicted; unmapped: {s['unmapped'] or 'none'}"
            )
            lines.append("")
            lines.append(_summary_table({"sample corpus": s}))
            lines.append("")
            lines.append(_kinds_table(s["kinds"]))
            if s["missed"]:
                lines.append(f"\nmissed: {s['missed']}")
            if s["false_edges"]:
                lines.append(f"false edges: {s['false_edges']}")
        lines.append("")
    syn = result.get("synthetic")
    if syn:
        lines.append("## (b) Synthetic stress set (wikinews originals)")
        if "skipped" in syn:
            lines.append(f"skipped: {syn['skipped']}")
        else:
            lines.append(
                f"{syn['originals']} originals (median {syn['original_words_median']} words), "
                f"distractors {syn['distractors']}; one desk per scenario, each a copy of the distractor desk"
            )
            dd = syn["distractor_desk"]
            same = sum(e["same_event"] for e in dd["edges"])
            lines.append(
                f"Distractor desk: {dd['stored']} stored, {dd['rejected']} rejected; {len(dd['edges'])} copy edges among "
                f"distractors ({same} between reports of one event); not counted below"
            )
            lines.append("")
            lines.append(_summary_table(syn["scenarios"]))
            lines.append("")
            rows = []
            for name, r in syn["scenarios"].items():
                for k, v in r["kinds"].items():
                    rows.append(
                        [
                            name,
                            k,
                            str(v["n"]),
                            _f(v["recall"]),
                            _f(v["detected"]),
                            _f(v["kind_ok"]),
                            ", ".join(f"{a} {b}" for a, b in sorted(v["predicted_kinds"].items())),
                        ]
                    )
            lines.append(
                c.markdown_table(
                    ["scenario", "truth kind", "n", "recall", "detected", "kind ok", "predicted kinds"], rows
                )
            )
            lines.append("")
            lines.append(
                "Pooled over the detection scenarios (not early, boilerplate-soon, expanded-soon), "
                "precision of each predicted kind:"
            )
            lines.append(
                c.markdown_table(
                    ["predicted kind", "edges", "precision", "P (linked)"],
                    [
                        [k, str(v["edges"]), _f(v["precision"]), _f(v.get("linked"))]
                        for k, v in syn["by_predicted_kind"].items()
                    ],
                )
            )
            rows = []
            for name, r in syn["scenarios"].items():
                for b, v in r.get("election_by_delay", {}).items():
                    rows.append([name, b, str(v["n"]), str(v["found"]), _f(v["elected_right"])])
            lines.append("")
            lines.append("Election by publication delay (pairs found; share electing the true original):")
            lines.append(c.markdown_table(["scenario", "delay", "copies", "found", "original elected"], rows))
            if "expanded-soon" in syn["scenarios"]:
                by = syn["scenarios"]["expanded-soon"].get("election_by_added_at", {})
                lines.append(
                    "expanded-soon, original elected by where the copy added its paragraphs: "
                    + "; ".join(f"{k} {_f(v['elected_right'])} (n={v['found']})" for k, v in by.items())
                )
            for name in ("early",):
                if name in syn["scenarios"]:
                    lines.append("")
                    lines.append(_early_table(syn["scenarios"][name]["election_by_type"]))
            if "mixed" in syn:
                lines.append("")
                lines.append("Mixed (every kind of copy of each original in one desk):")
                lines.append(_summary_table({"mixed": syn["mixed"]}))
                lines.append("")
                lines.append(_kinds_table(syn["mixed"]["kinds"]))
                lines.append("")
                lines.append(_early_table(syn["mixed"]["election_by_type"]))
                lines.append("")
                lines.append(
                    "Mixed, predicted kind of the correct edges by scenario: "
                    + "; ".join(
                        f"{sc}: " + ", ".join(f"{k} {n}" for k, n in sorted(v.items()))
                        for sc, v in syn["mixed"].get("kinds_by_scenario", {}).items()
                    )
                )
            for name, r in syn["scenarios"].items():
                if r["miss_details"] or r["false_details"]:
                    lines.append(f"\n{name}: misses {len(r['misses'])}")
                    for d in r["miss_details"][:5]:
                        lines.append(f"  miss {d}")
                    for d in r["false_details"][:5]:
                        lines.append(f"  false {d}")
        lines.append("")
    ctl = result.get("control")
    if ctl:
        lines.append("## (c) Same-story control (SemEval-2022 task 8)")
        if "skipped" in ctl:
            lines.append(f"skipped: {ctl['skipped']}")
        else:
            lines.append(
                f"{ctl['articles']} distinct articles, {ctl['stored']} stored, {ctl['edges']} copy edges in all"
            )
            rows = [
                [x["name"], str(x["pairs"]), str(x["comparable"]), str(x["flagged"]), _f(x["rate"])]
                for x in ctl["sets"]
            ]
            lines.append("")
            lines.append(
                c.markdown_table(
                    ["pairs", "n", "both >= MIN_WORDS", "called copies", "false-positive rate"], rows
                )
            )
            if "en_max" in ctl:
                lines.append(f"\nEnglish same-story pairs, highest measures: {ctl['en_max']}")
            for x in ctl["sets"]:
                for e in x["examples"][:5]:
                    lines.append(f"  {x['name']}: {e}")
        lines.append("")
    sw = result.get("sweep")
    if sw:
        lines.append("## Threshold sensitivity (every pair compared; the LSH stage left out)")
        if "skipped" in sw:
            lines.append(f"skipped: {sw['skipped']}")
        else:
            lines.append(sweep_table(sw, result["constants"]))
            lines.append("")
            lines.append("LSH: share of pairs sharing at least one band")
            lines.append(
                _common.markdown_table(
                    ["set", "n", "text band", "anchor band", "candidate"],
                    [
                        [k, str(v["n"]), _f(v["text_band"]), _f(v["anchor_band"]), _f(v["candidate"])]
                        for k, v in sw["lsh"].items()
                    ],
                )
            )
            lines.append("")
            lines.append(
                "Quantiles (1 %, 5 %, 50 %, 95 %, 99 %, max) of the measures at the current ALIGN_SIMILARITY:"
            )
            for k, q in sw["quantiles"].items():
                lines.append(f"  {k}: " + "; ".join(f"{m} {v}" for m, v in q.items()))
            for e in sw["current_negatives_called"][:20]:
                lines.append(f"  called with current constants: {e}")
        lines.append("")
    tp = result.get("throughput")
    if tp:
        lines.append("## Throughput: fingerprint + candidates on one core")
        lines.append(
            "Rates per CPU second of the lookup process (best of its passes); the wall-clock rate of the same"
            " pass beside it (lower when other processes share the cores). fingerprint/s and lookup/s: CPU."
        )
        rows = []
        for lv in tp["levels"]:
            tb = lv["table_bytes_per_article"]
            rows.append(
                [
                    f"{lv['indexed']:,}",
                    f"{lv['per_s']:,.0f}",
                    f"{lv['per_s_wall']:,.0f}" if "per_s_wall" in lv else "-",
                    f"{lv['fingerprint_per_s']:,.0f}",
                    f"{lv['lookup_per_s']:,.0f}",
                    f"{lv['lookup_p50_ms']:.2f}",
                    f"{lv['lookup_p99_ms']:.2f}",
                    f"{lv['bytes_per_article']:,.0f}",
                    f"{tb.get('lsh_keys', 0) + tb.get('lsh_keys_article', 0) + tb.get('fingerprints', 0) + tb.get('fingerprints_exact', 0):,.0f}",
                    f"{lv['rss_after_kb'] / 1024:,.0f}",
                    f"{lv['populate_seconds']:,.0f}",
                    f"{lv['load_before']:.1f} / {lv['load_after']:.1f}" if "load_before" in lv else "-",
                ]
            )
        lines.append(
            c.markdown_table(
                [
                    "indexed",
                    "articles/s (CPU)",
                    "articles/s (wall)",
                    "fingerprint/s",
                    "lookup/s",
                    "lookup p50 ms",
                    "p99 ms",
                    "DB bytes/article",
                    "index bytes/article",
                    "RSS MiB",
                    "populate s",
                    "load before / after",
                ],
                rows,
            )
        )
        if tp["levels"]:
            lines.append(
                f"\nquery mix: {tp['query_mix']}; mean {tp['levels'][0]['words_mean']:.0f} words per query"
            )
            for lv in tp["levels"]:
                lines.append(
                    f"  {lv['indexed']:,} indexed: articles/s by length "
                    + ", ".join(
                        f"{k} {v['per_s']:,.0f} (n={v['n']})" for k, v in lv["per_s_by_length"].items()
                    )
                    + f"; candidates per query {lv['candidates_mean']:.2f}; truncated copies whose original is "
                    f"among the candidates {_f(lv['copy_original_in_candidates'])}; RSS {lv['rss_before_kb'] / 1024:.0f} MiB "
                    f"before, {lv['rss_after_kb'] / 1024:.0f} MiB after the lookups (current RSS, /proc/self/status)"
                )
        lines.append("")
    lines += _targets_lines(result)
    return "\n".join(lines)


SWEEP_KEYS = (
    "ALIGN_SIMILARITY",
    "NEAR_CONTAINMENT",
    "ALIGN_SHARE",
    "REWRITE_RESEMBLANCE",
    "MIN_WORDS",
    "MIN_REWRITE_SENTENCES",
)


def sweep_table(sw: dict[str, Any], constants: dict[str, Any]) -> str:
    """Rows that differ from the current constants in at most one of them."""
    pos = [k for k in sw["positives"] if k in ("near", "reordered", "sub20", "sub40", "sub60", "sub40-all")]
    neg = list(sw["negatives"])
    rows = []
    for r in sw["grid"]:
        diff = [k for k in SWEEP_KEYS if abs(r[k] - constants.get(k, 0)) > 1e-9]
        if len(diff) > 1:
            continue
        name = "current" if not diff else f"{diff[0]} = {r[diff[0]]}"
        rows.append((0 if not diff else 1, name, [name] + [_f(r[k]) for k in pos] + [str(r[k]) for k in neg]))
    rows.sort(key=lambda x: (x[0], x[1]))
    return _common.markdown_table(
        ["constants", *(f"R {k}" for k in pos), *(f"{k[4:]} called (of {sw['negatives'][k]})" for k in neg)],
        [r[2] for r in rows],
    )


def _summary_table(rs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for name, r in rs.items():
        rows.append(
            [
                name,
                str(r["true_edges"]),
                str(r["predicted_edges"]),
                _f(r["precision"]),
                _f(r["recall"]),
                _f(r["linked_precision"]),
                _f(r["detected_recall"]),
                str(r["reversed"]),
                _f(r["election_precision"]),
                _f(r["election_recall"]),
            ]
        )
    return _common.markdown_table(
        [
            "set",
            "true edges",
            "predicted",
            "precision",
            "recall",
            "P (linked)",
            "R (detected)",
            "reversed",
            "election P",
            "election R",
        ],
        rows,
    )


def _kinds_table(kinds: dict[str, dict[str, Any]]) -> str:
    rows = [
        [
            k,
            str(v["n"]),
            _f(v["recall"]),
            _f(v["detected"]),
            _f(v["kind_ok"]),
            ", ".join(f"{a} {b}" for a, b in sorted(v["predicted_kinds"].items())),
        ]
        for k, v in kinds.items()
    ]
    return _common.markdown_table(
        ["truth kind", "n", "recall", "detected", "kind ok", "predicted kinds"], rows
    )


def _early_table(by_type: dict[str, dict[str, Any]]) -> str:
    rows = [
        [
            t,
            str(v["n"]),
            _f(v["detected"]),
            _f(v["elected_right"]),
            "; ".join(f"{k} ×{n}" for k, n in v["reasons"].items()),
        ]
        for t, v in by_type.items()
    ]
    return _common.markdown_table(
        ["copy published before its original", "n", "detected", "original elected", "election reasons"], rows
    )


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strip(v) for v in obj]
    if isinstance(obj, set):
        return sorted(obj)
    if isinstance(obj, datetime):
        return obj.isoformat()
    return obj


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--_lookup":
        print(json.dumps(_lookup_child(sys.argv[2], sys.argv[3])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default {DEFAULT_DATA})"
    )
    ap.add_argument("--quick", action="store_true", help="a small version (40 originals, 10k indexed)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the throughput index in DIR (and resume it when it is there) instead of a temporary folder",
    )
    ap.add_argument("--originals", type=int, default=None, help="synthetic originals (default 200, quick 40)")
    ap.add_argument("--sizes", default=None, help="indexed sizes for throughput, e.g. 10000,100000,1000000")
    ap.add_argument(
        "--parts",
        default=None,
        help="comma-separated subset of sample,synthetic,control,sweep,throughput "
        "(default: all; no sweep with --quick)",
    )
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else None
    result = run(
        args.data,
        args.quick,
        seed=args.seed,
        parts=args.parts.split(",") if args.parts else None,
        n_originals=args.originals,
        sizes=sizes,
        keep=args.keep,
    )
    print(report(result))
    if args.json:
        args.json.write_text(
            json.dumps(_strip(result), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""(b) ``synthetic``: generated copies of real Wikinews texts, one desk per kind of copy."""

from __future__ import annotations

import contextlib
import csv
import html
import json
import random
import re
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.provenance.control import load_semeval
from bench.provenance.scoring import _ratio, hash_id, score

csv.field_size_limit(1 << 30)


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

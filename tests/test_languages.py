"""Every language: length rules, clean-up, language identification and sentence splitting hold for
scripts written without spaces (Chinese, Japanese), right to left (Arabic, Hebrew), in Hangul,
Cyrillic and Devanagari, and for Latin-script languages other than English.

The texts are ours: one invented local story (a harbour bridge closed after a crack was found),
told in each language, inside the template clutter of a scraper site in that language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk import Article, Fetched, Rejected, RejectReason, extract
from newsdesk._text import CONTINUOUS_CHAR, word_count
from newsdesk.provenance import _compare, fingerprint, normalise


@dataclass(frozen=True)
class Case:
    code: str
    title: str
    sentences: tuple[str, ...]
    source: str  # a "Source link" in that language
    related: str  # a "Related articles" heading
    share: str  # a share prompt


CASES = [
    Case(
        "zh",
        "港口大桥因主梁裂缝紧急关闭",
        (
            "港口大桥周一上午因工程师在主梁上发现一条长裂缝而紧急关闭。",
            "市交通局表示，大桥将至少关闭三个星期，所有车辆须绕行旧城区的两座老桥。",
            "附近的商户担心生意会因此大幅下降。",
            "一位经营早餐店的店主说，他的客人大多是每天过桥上班的人。",
            "市长在新闻发布会上表示，政府将拨出一千二百万元用于紧急维修，并承诺每天公布工程进度。",
            "专家指出，这座大桥建于一九七八年，近年来交通量增加了一倍，早已超出最初的设计负荷。",
        ),
        "来源",
        "相关文章",
        "分享",
    ),
    Case(
        "ja",
        "港の大橋、主桁の亀裂で緊急閉鎖",
        (
            "港の大橋は月曜日の朝、技術者が主桁に長い亀裂を発見したため、緊急に閉鎖された。",
            "市の交通局によると、橋は少なくとも三週間閉鎖され、すべての車両は旧市街の二つの古い橋へ迂回しなければならない。",
            "近くの商店主たちは売り上げが大きく落ち込むことを心配している。",
            "朝食店を営む男性は、客の多くが毎日橋を渡って通勤する人たちだと話した。",
            "市長は記者会見で、緊急修理のために十二億円を支出し、工事の進み具合を毎日公表すると約束した。",
            "専門家によれば、この橋は一九七八年に建設され、近年は交通量が二倍に増え、当初の設計荷重をすでに超えているという。",
        ),
        "出典",
        "関連記事",
        "シェア",
    ),
    Case(
        "ko",
        "항구 대교, 주 거더 균열로 긴급 폐쇄",
        (
            "항구 대교가 월요일 아침 기술자들이 주 거더에서 긴 균열을 발견하면서 긴급히 폐쇄되었다.",
            "시 교통국은 다리가 최소 3주 동안 폐쇄되며 모든 차량은 구시가지의 오래된 다리 두 곳으로 우회해야 한다고 밝혔다.",
            "인근 상인들은 매출이 크게 줄어들까 걱정하고 있다.",
            "아침 식당을 운영하는 한 주인은 손님 대부분이 매일 다리를 건너 출근하는 사람들이라고 말했다.",
            "시장은 기자회견에서 긴급 보수를 위해 120억 원을 지출하고 공사 진행 상황을 매일 공개하겠다고 약속했다.",
            "전문가들은 이 다리가 1978년에 건설되었으며 최근 교통량이 두 배로 늘어 원래 설계 하중을 이미 넘어섰다고 지적했다.",
        ),
        "출처",
        "관련 기사",
        "공유",
    ),
    Case(
        "ar",
        "إغلاق جسر الميناء بعد اكتشاف شق في العارضة الرئيسية",
        (
            "أُغلق جسر الميناء صباح يوم الاثنين بشكل عاجل بعد أن اكتشف المهندسون شقاً طويلاً في العارضة الرئيسية.",
            "وقالت هيئة النقل في المدينة إن الجسر سيبقى مغلقاً لمدة ثلاثة أسابيع على الأقل، وإن على جميع المركبات أن تسلك الجسرين القديمين في المدينة العتيقة.",
            "ويخشى أصحاب المتاجر القريبة من تراجع كبير في مبيعاتهم.",
            "وقال صاحب مطعم للفطور إن معظم زبائنه يعبرون الجسر كل يوم في طريقهم إلى العمل.",
            "وتعهد رئيس البلدية في مؤتمر صحفي بتخصيص اثني عشر مليون دينار للإصلاحات العاجلة ونشر تقرير يومي عن سير الأعمال.",
            "هل سيصمد الجسر القديم حتى ذلك الحين؟",
        ),
        "المصدر",
        "مقالات ذات صلة",
        "مشاركة",
    ),
    Case(
        "he",
        "גשר הנמל נסגר בעקבות סדק בקורה הראשית",
        (
            "גשר הנמל נסגר ביום שני בבוקר באופן דחוף, לאחר שמהנדסים גילו סדק ארוך בקורה הראשית.",
            "רשות התחבורה העירונית מסרה כי הגשר יישאר סגור לפחות שלושה שבועות, וכל כלי הרכב יופנו לשני הגשרים הישנים שבעיר העתיקה.",
            "בעלי החנויות בסביבה חוששים מירידה חדה בהכנסות.",
            "בעל מסעדת בוקר אמר כי רוב לקוחותיו חוצים את הגשר מדי יום בדרכם לעבודה.",
            "ראש העיר הבטיח במסיבת עיתונאים להקצות שנים עשר מיליון שקלים לתיקונים דחופים ולפרסם דיווח יומי על התקדמות העבודות.",
            "מומחים מציינים כי התנועה על הגשר הוכפלה בשנים האחרונות עד שחרגה מהעומס שלו תוכנן.",
        ),
        "מקור",
        "כתבות נוספות",
        "שתף",
    ),
    Case(
        "ru",
        "Мост в гавани закрыт из-за трещины в главной балке",
        (
            "Мост в гавани экстренно закрыли в понедельник утром после того, как инженеры обнаружили длинную трещину в главной балке.",
            "В городском управлении транспорта сообщили, что мост будет закрыт не менее трёх недель, а весь транспорт направят через два старых моста в историческом центре.",
            "Владельцы соседних магазинов опасаются резкого падения выручки.",
            "Хозяин небольшого кафе рассказал, что большинство его посетителей каждый день переходят мост по дороге на работу.",
            "Мэр пообещал на пресс-конференции выделить двенадцать миллионов рублей на срочный ремонт и ежедневно публиковать отчёт о ходе работ.",
            "Эксперты отмечают, что движение по мосту за последние годы выросло вдвое.",
        ),
        "Источник",
        "Читайте также",
        "Поделиться",
    ),
    Case(
        "hi",
        "मुख्य गर्डर में दरार के बाद बंदरगाह पुल बंद",
        (
            "बंदरगाह पुल को सोमवार सुबह तत्काल बंद कर दिया गया, जब इंजीनियरों ने मुख्य गर्डर में एक लंबी दरार पाई।",
            "शहर के परिवहन विभाग ने बताया कि पुल कम से कम तीन सप्ताह तक बंद रहेगा और सभी वाहनों को पुराने शहर के दो पुराने पुलों से होकर जाना होगा।",
            "आसपास के दुकानदारों को डर है कि उनकी बिक्री में भारी गिरावट आएगी।",
            "नाश्ते की दुकान चलाने वाले एक व्यक्ति ने कहा कि उसके ज़्यादातर ग्राहक रोज़ पुल पार करके काम पर जाते हैं।",
            "महापौर ने एक संवाददाता सम्मेलन में वादा किया कि तत्काल मरम्मत के लिए बारह करोड़ रुपये दिए जाएंगे।",
            "विशेषज्ञों का कहना है कि यह पुल उन्नीस सौ अठहत्तर में बना था।",
        ),
        "स्रोत",
        "ये भी पढ़ें",
        "शेयर करें",
    ),
    Case(
        "de",
        "Hafenbrücke nach Riss im Hauptträger gesperrt",
        (
            "Die Hafenbrücke ist am Montagmorgen kurzfristig gesperrt worden, nachdem Ingenieure einen langen Riss im Hauptträger entdeckt hatten.",
            "Nach Angaben des städtischen Verkehrsamts bleibt die Brücke mindestens drei Wochen geschlossen.",
            "Der gesamte Verkehr wird über die beiden alten Brücken in der Altstadt umgeleitet.",
            "Händler in der Nachbarschaft befürchten deutliche Umsatzeinbußen.",
            "Der Betreiber eines Frühstückscafés sagte, die meisten seiner Gäste überquerten die Brücke jeden Morgen auf dem Weg zur Arbeit.",
            "Der Bürgermeister versprach zwölf Millionen Euro für die dringende Reparatur.",
        ),
        "Quelle",
        "Ähnliche Artikel",
        "Teilen",
    ),
    Case(
        "es",
        "Cierran el puente del puerto por una grieta en la viga principal",
        (
            "El puente del puerto fue cerrado de urgencia el lunes por la mañana, después de que los ingenieros descubrieran una larga grieta en la viga principal.",
            "La autoridad de transporte de la ciudad informó de que el puente permanecerá cerrado al menos tres semanas.",
            "Todo el tráfico se desviará por los dos puentes antiguos del casco histórico.",
            "Los comerciantes de la zona temen una fuerte caída de sus ventas.",
            "El dueño de una cafetería contó que la mayoría de sus clientes cruzan el puente cada mañana para ir al trabajo.",
            "El alcalde prometió doce millones de euros para la reparación urgente.",
        ),
        "Fuente",
        "Artículos relacionados",
        "Compartir",
    ),
]

ORIGINAL = "https://wire.example/2026/03/16/harbour-bridge-closed"


def scraped_page(case: Case) -> str:
    """The story as an auto-blog republishes it: ad shortcodes, a source link, a share prompt and
    related headlines, in the page's language — and no ``lang`` attribute, so the language must be
    found in the text."""
    paras = "".join(f"<p>{s}</p>" for s in case.sentences)
    others = "".join(
        f'<li><a href="/2026/03/{n}/x">{case.related} {n}: {case.title[:12]}</a></li>' for n in (1, 2)
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{case.title}</title></head><body>"
        f"<article><h1>{case.title}</h1><p>[ad_1]</p>{paras}<p>[ad_2]</p>"
        f'<p><a href="{ORIGINAL}">{case.source}</a></p><p>{case.share}</p>'
        f"<h3>{case.related}</h3><ul>{others}</ul></article></body></html>"
    )


def run(case: Case) -> Article | Rejected:
    url = f"https://copies.example/{case.code}/2026/03/16/harbour-bridge"
    return extract(Fetched(url=url, body=scraped_page(case).encode(), origin=url))


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_an_article_in_every_script_is_kept_clean_and_identified(case: Case) -> None:
    article = run(case)
    assert isinstance(article, Article), article
    assert article.language == case.code
    assert article.title == case.title
    lines = article.text.splitlines()
    assert lines == list(case.sentences), "the article's sentences and nothing else"
    assert {s.url for s in article.source_links} == {ORIGINAL}
    assert article.word_count >= 60


@pytest.mark.parametrize("case", CASES, ids=[c.code for c in CASES])
def test_sentences_are_split_in_every_script(case: Case) -> None:
    text = "".join(case.sentences) if case.code in ("zh", "ja") else " ".join(case.sentences)
    assert _compare._split_sentences(text) == list(case.sentences)


def test_length_is_fair_to_scripts_without_spaces() -> None:
    """A 690-character Chinese article once "had 15 words": characters of scripts written without
    spaces count two to a word, as translators reckon, and other text counts by its words."""
    zh = CASES[0].sentences
    assert len(" ".join(zh).split()) <= 6
    han = sum(len(CONTINUOUS_CHAR.findall(s)) for s in zh)  # punctuation is not counted
    assert word_count("".join(zh)) == -(-han // 2)
    assert word_count("iPhone 发布会 today") == 1 + 2 + 1
    assert word_count("plain english words here") == 4
    # A Chinese page of about 40 characters is still too short, as 20 English words are.
    short = CASES[0]
    page = f"<html><head><title>{short.title}</title></head><body><article><p>{short.sentences[0]}</p></article></body></html>"
    rejected = extract(Fetched(url="https://x.example/2026/a/b", body=page.encode(), origin="t"))
    assert isinstance(rejected, Rejected) and rejected.reason is RejectReason.TOO_SHORT


def test_copies_of_a_chinese_article_are_found_by_character_shingles() -> None:
    """Chinese has no spaces: words taken as runs of letters would make each clause one token, and
    a copy that changes one character would share no shingle with its original near that clause."""
    text = "".join(CASES[0].sentences)
    edited = text.replace("三个星期", "四个星期").replace("一九七八年", "一九七九年")
    assert len(normalise(text).split()) > 150
    a, b = fingerprint(text), fingerprint(edited)
    shared = set(a.text_keys) & set(b.text_keys)
    assert shared, "an edited copy keeps most of its LSH bands"
    assert _compare.compare(text, edited).kind is not None


@pytest.mark.parametrize(
    ("charset", "code"),
    [
        ("gbk", "zh"),
        ("gb2312", "zh"),
        ("big5", None),
        ("shift_jis", "ja"),
        ("euc-kr", "ko"),
        ("windows-1251", "ru"),
    ],
)
@pytest.mark.parametrize("declared_by", ["meta", "http"])
def test_declared_encodings_are_honoured_before_guessing(
    charset: str, code: str | None, declared_by: str
) -> None:
    """A page declaring charset=gbk was stored as mojibake with language "gcf": the detector's
    guess came first. Declarations (BOM, HTTP header, <meta>) now come first, as in browsers."""
    if code is None:  # Big5: the Chinese story in traditional characters
        case = Case(
            "zh",
            "港口大橋因主樑裂縫緊急關閉",
            ("港口大橋週一上午因工程師在主樑上發現一條長裂縫而緊急關閉。",) * 6,
            "",
            "",
            "",
        )
    else:
        case = next(c for c in CASES if c.code == code)
    body = "".join(f"<p>{s}</p>" for s in case.sentences)
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if declared_by == "meta"
        else ""
    )
    html = f"<html><head>{meta}<title>{case.title}</title></head><body><article><h1>{case.title}</h1>{body}</article></body></html>"
    ctype = f"text/html; charset={charset}" if declared_by == "http" else "text/html"
    doc = Fetched(
        url="https://x.example/2026/03/a-b-c-d", body=html.encode(charset), origin="t", content_type=ctype
    )
    article = extract(doc)
    assert isinstance(article, Article), article
    assert article.title == case.title
    assert article.text.splitlines()[0] == case.sentences[0]
    assert article.language == case.code


def test_a_wrong_declaration_gives_way_and_a_bom_wins() -> None:
    case = CASES[5]  # Russian
    body = "".join(f"<p>{s}</p>" for s in case.sentences)
    html = f"<html><head><meta charset='windows-1251'><title>{case.title}</title></head><body><article><h1>{case.title}</h1>{body}</article></body></html>"
    # Declared windows-1251 but written in UTF-8 by a careless CMS: the declaration cannot be right
    # (UTF-8's bytes are mostly valid windows-1251 too, so a BOM settles it where one is given).
    with_bom = extract(
        Fetched(url="https://x.example/2026/a/b", body=b"\xef\xbb\xbf" + html.encode("utf-8"), origin="t")
    )
    assert isinstance(with_bom, Article) and with_bom.title == case.title
    # Declared UTF-8, written in windows-1251: UTF-8 cannot decode it, so the page is guessed.
    wrong = html.replace("windows-1251", "utf-8").encode("windows-1251")
    guessed = extract(Fetched(url="https://x.example/2026/a/b", body=wrong, origin="t"))
    assert isinstance(guessed, Article) and guessed.title == case.title
    assert any("guessed" in n for n in guessed.notes)


SEARCH_WORDS = {
    "zh": "大桥",
    "ja": "亀裂",
    "ko": "균열을",
    "ar": "الجسر",
    "he": "הגשר",
    "ru": "мост",
    "hi": "दरार",
    "de": "Hauptträger",
    "es": "puente",
}


def test_every_script_is_stored_and_found_by_search(tmp_path: Path) -> None:
    """With the default length rules (not min_words=1): each story is stored, and a word of its
    language finds it (FTS5's word index does not split Chinese or Japanese into words; a trigram
    index answers those queries)."""
    from newsdesk import open_desk

    folder = tmp_path / "pages"
    folder.mkdir()
    for case in CASES:
        (folder / f"{case.code}.html").write_text(scraped_page(case), encoding="utf-8")
    with open_desk(tmp_path / "d.sqlite") as desk:
        report = desk.ingest([folder])
        assert report.new == len(CASES), [(r.origin, r.detail) for r in report.rejected]
        for case in CASES:
            hits = desk.search(SEARCH_WORDS[case.code])
            assert [h.title for h in hits] == [case.title], case.code

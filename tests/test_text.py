"""aggregator.text: one normalization, one set of word forms and one HTML-to-text for
rules, search and story matching, checked against one table."""

from __future__ import annotations

import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.classify import classify
from aggregator.dedupe import content_words
from aggregator.models import Candidate, ParsedItem, Rule, Source, Validators
from aggregator.store import Store
from aggregator.text import html, html_to_text, normalize, normalize_text
from aggregator.text.words import PROCLITICS, clitic_forms, strip_clitics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الإضْرَابُ العَامُّ", "الاضراب العام"),  # diacritics, alef with hamza
        ("نقابـــة", "نقابه"),  # tatweel, ta marbuta
        ("أعلنت إضراباً شاملاً، ومفتوحًا", "اعلنت اضراب شامل ومفتوح"),  # tanween's alef
        ("دعا إلى الحوار", "دعا الي الحوار"),  # a word's own final alef stays
        ("آمنة أحمد إبراهيم ٱلله", "امنه احمد ابراهيم الله"),  # alef forms
        ("مستشفى على", "مستشفي علي"),  # alef maqsura
        ("مؤتمر رئيس", "موتمر رييس"),  # hamza on waw and ya
        ("عام ٢٠٢٤ و۱۴۰۳", "عام 2024 و1403"),  # Arabic-Indic and Persian digits
        ("کتاب یک", "كتاب يك"),  # Persian kaf and ya
        ("ماذا؟ نعم، لا؛ «قال»", "ماذا نعم لا قال"),  # Arabic punctuation
        ("General STRIKE!  In   Cairo", "general strike in cairo"),
        ("Straße", "strasse"),
        ("Montréal CAFÉ Ñandú Şişli Łódź", "montreal cafe nandu sisli łodz"),  # Latin accents
        ("q\u0301uoi", "quoi"),  # a combining accent that composes with nothing
        ("ﻻ", "لا"),  # presentation-form ligature via NFKC
        ("مي\u200cخواهم", "ميخواهم"),  # zero-width non-joiner
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def _translated_whole(text: str) -> str:
    """normalize_text as first written: the whole text through the table at once."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(normalize._without_tanween_alef(folded).translate(normalize._CHAR_MAP).split())


_TEXT_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(_TEXT_CHARS, max_size=6), st.sampled_from(["نقابة،", "الإضْرَابُ", " \n"])),
        max_size=20,
    )
)
def test_normalizing_token_by_token_gives_the_words_of_translating_the_whole(parts):
    text = "".join(parts)
    assert normalize_text(text) == _translated_whole(text)
    assert normalize_text(text) == normalize_text(text)  # again, from the word map


def test_every_character_split_separates_on_becomes_a_space():
    """What makes token-by-token normalizing exact (see text.normalize._WordMap)."""
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert spaces and all(normalize._CHAR_MAP[ord(c)] == " " for c in spaces)


def test_html_to_text_strips_tags_scripts_and_entities():
    html = "<p>Hello&nbsp;<b>world</b></p><script>alert(1)</script><p>a &amp; b</p>"
    assert html_to_text(html) == "Hello world a & b"
    assert html_to_text("plain   text") == "plain text"
    assert html_to_text("") == ""


def _parser_text(fragment: str) -> str:
    extractor = html._TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<br>", "<br/>", "<b>", "</b>", "<LI>", "<a href=\"x>y\">", "</a>",
        "<img alt='a>b' src=\"/i.png\">", "<td colspan=2>", "<p-x>", "<script>", "</script>",
        "<style>", "<!-- c -->", "<!DOCTYPE x>", "<?pi?>", "</3", "< p", "<", ">", "&amp;",
        "&nbsp;", "&#1575;", "&#x41;", "&amp", "&am", "&", ";", "p;", "نص", "word", " ",
        "\n", "\u064e", "<header>", "<h2>", "</h2>",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_html_to_text_fast_path_reads_markup_like_the_parser(pieces):
    """The regex shortcut for sanitized markup must give the parser's words or decline."""
    fragment = "".join(pieces)
    quick = html._regex_text(fragment)
    if quick is not None:
        assert " ".join(quick.split()) == _parser_text(fragment)
    assert html_to_text(fragment) == _parser_text(fragment)


def test_html_to_text_keeps_paragraphs_apart() -> None:
    # What the index and category pages' excerpts read: never "2024.التفاصيل".
    fragment = (
        "<p>أعلن الاتحاد الإضراب منذ ٢٠٢٤.</p><p>التفاصيل في البيان</p>"
        "<ul><li>أ</li><li>ب</li></ul>"
    )
    assert html_to_text(fragment) == "أعلن الاتحاد الإضراب منذ ٢٠٢٤. التفاصيل في البيان أ ب"
    assert html_to_text("<section>one</section><section>two</section>") == "one two"


# --- one table of word forms for rules, search and story matching --------------------

# (keyword, a spelling in running text, whether it is that word). Prefixes only: suffixes
# (plurals, pronouns) are story matching's business alone; rules and search take whole words.
WORD_FORMS = [
    *[
        ("اضراب", form, True)
        for form in (
            "إضراب", "الإضراب", "والإضراب", "بالإضراب", "للإضراب", "وللإضراب", "فالإضراب",
            "كالإضراب", "وإضراب", "فإضراب", "بإضراب", "لإضراب", "وبإضراب", "فلإضراب",
            "وبالإضراب", "فبالإضراب", "إضْرَاب",
        )
    ],
    ("الإضراب", "إضراب", True),  # a keyword with the article also means the word without
    ("الإضراب", "وللإضراب", True),
    ("نقابة", "النقابه", True),
    ("نقابة", "للنقابة", True),
    ("نقابة", "بنقابة", True),
    ("نقابة", "والنقابة", True),
    ("بيان", "البيان", True),  # a word that starts with a clitic letter itself
    ("بيان", "للبيان", True),
    ("بيان", "وبيان", True),
    ("بيان", "ببيان", True),
    ("فلسطين", "بفلسطين", True),
    ("فلسطين", "وفلسطين", True),
    ("فلسطين", "لفلسطين", True),
    ("لجنة", "اللجنة", True),
    ("لجنة", "للجنة", True),  # ل + اللجنة: the article's alef and lam merge
    ("لجنة", "واللجنة", True),
    ("حزب", "الحزب", True),
    ("حزب", "للحزب", True),
    ("حزب", "وبالحزب", True),
    ("المرأة", "للمرأة", True),
    ("المرأة", "والمرأة", True),
    ("المرأة", "امرأة", False),  # "a woman" is another spelling, not a clitic form
    ("اضراب", "لالإضراب", False),  # ل before ال is written لل: this is no word
    ("عمال", "أعمال", False),  # workers, works
    ("حزب", "أحزاب", False),
    ("سلام", "إسلام", False),
    ("عمل", "معمل", False),
]  # fmt: skip

LABELS = {True: "the same word", False: "another word"}


def _rule_matches(keyword: str, form: str) -> bool:
    rule = Rule(action="add", category="c", any=(keyword,))
    item = ParsedItem(
        guid=None, link=None, title=f"خبر عن {form} اليوم", summary_html="", content_html="",
        author=None, published=None, updated=None,
    )  # fmt: skip
    return "c" in classify(item, [], [rule])[0]


def _story_same(keyword: str, form: str) -> bool:
    return content_words(keyword) == content_words(form)


@pytest.fixture(scope="module")
def search_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A real store whose items are titled with each spelling of the table."""
    source = Source(name="S", url="http://s.example/rss", categories=("c",))
    forms = sorted({form for _, form, _ in WORD_FORMS})
    candidates = [
        Candidate(
            item=ParsedItem(
                guid=str(i), link=f"http://s.example/{i}", title=f"خبر عن {form} اليوم",
                summary_html="", content_html="", author=None,
                published=datetime(2026, 9, 1, tzinfo=UTC), updated=None,
            ),
            keys=(f"guid:{i}",),
            categories=frozenset({"c"}),
        )
        for i, form in enumerate(forms)
    ]  # fmt: skip
    store = Store(Path(tmp_path_factory.mktemp("search")) / "s.db")
    store.sync_sources([source])
    moment = datetime(2026, 9, 2, tzinfo=UTC)
    store.record_fetch(
        source, now=moment, http_status=200, validators=Validators(), body_hash=None,
        candidates=candidates, next_poll=moment,
    )  # fmt: skip
    store.flush_search_index()
    return store


@pytest.mark.parametrize(("keyword", "form", "same"), WORD_FORMS)
def test_rules_search_and_story_matching_agree_on_word_forms(
    keyword: str, form: str, same: bool, search_store: Store
) -> None:
    found = {item.title for item in search_store.search_items(keyword, 100)}
    verdicts = {
        "rules": _rule_matches(keyword, form),
        "search": f"خبر عن {form} اليوم" in found,
        "story matching": _story_same(keyword, form),
    }
    assert verdicts == dict.fromkeys(verdicts, same), f"{form} is {LABELS[same]} for {keyword}"


# Arabic letters, the clitic letters twice as likely: the hard case is a word starting with one.
_ARABIC_WORDS = st.text(
    st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويوفبكل"), min_size=2, max_size=7
)


@settings(max_examples=300, deadline=None)
@given(_ARABIC_WORDS, st.sampled_from(PROCLITICS))
def test_every_clitic_spelling_reads_back_to_the_word_s_stem(word: str, prefix: str) -> None:
    """What the generative side (rules, search) accepts, the reading side (story matching)
    reads as the same stem: one grammar, two directions."""
    if word.lstrip("وفبكل").startswith("ال"):
        return  # a word that carries an article of its own (ال, بال, وال) is not a base
    assert prefix + word in clitic_forms(word)
    assert strip_clitics(prefix + word) == strip_clitics(word)

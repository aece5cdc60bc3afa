"""classify: source categories plus keyword rules on normalized text."""

from __future__ import annotations

from aggregator.classify import classify, compile_rules
from aggregator.models import ParsedItem, Rule


def item(title: str = "", summary: str = "", content: str = "", tags=()) -> ParsedItem:
    return ParsedItem(
        guid=None,
        link=None,
        title=title,
        summary_html=summary,
        content_html=content,
        author=None,
        published=None,
        updated=None,
        tags=tuple(tags),
    )


LABOUR = Rule(action="add", category="labour", any=("إضراب", "نقابة", "strike"))
WOMEN = Rule(action="add", category="women", any=("المرأة", "نسوية"))
SPONSORED = Rule(action="drop", any=("إعلان ممول",))


def test_source_categories_are_kept_without_rules():
    assert classify(item("x"), ["politics", "secularism"], []) == (
        frozenset({"politics", "secularism"}),
        False,
    )


def test_rule_without_diacritics_matches_text_with_them():
    cats, dropped = classify(item("الإضْرَابُ العَامُّ فِي مِصْرَ"), ["politics"], [LABOUR])
    assert cats == {"politics", "labour"} and not dropped


def test_rule_with_diacritics_matches_plain_text_and_ta_marbuta_variants():
    rule = Rule(action="add", category="labour", any=("نِقَابَةُ",))
    assert "labour" in classify(item("بيان النقابه"), [], [rule])[0]


def test_arabic_prefixes_match():
    for text in ("والإضراب مستمر", "بالإضراب", "للإضراب", "الإضراب", "وإضراب", "فالإضراب"):
        assert "labour" in classify(item(text), [], [LABOUR])[0], text
    for text in ("بيان للمرأة", "والمرأة", "امرأة المرأة"):
        assert "women" in classify(item(text), [], [WOMEN])[0], text


def test_whole_words_only():
    assert "labour" not in classify(item("Strikes and strikers"), [], [LABOUR])[0]
    assert "labour" in classify(item("General STRIKE today"), [], [LABOUR])[0]
    assert "labour" not in classify(item("إضرابات"), [], [LABOUR])[0]  # no suffix stripping


def test_matches_in_summary_and_content_html_but_not_in_markup():
    assert "labour" in classify(item("t", summary="<p>عن <b>النقابة</b></p>"), [], [LABOUR])[0]
    assert "labour" in classify(item("t", content="<div>a strike!</div>"), [], [LABOUR])[0]
    assert "labour" not in classify(item("t", content='<a href="/strike">x</a>'), [], [LABOUR])[0]


def test_drop_rule_removes_the_item():
    cats, dropped = classify(item("إعلانٌ مموَّل: اشترِ الآن"), ["politics"], [LABOUR, SPONSORED])
    assert dropped
    _, kept = classify(item("إعلان عن مؤتمر"), ["politics"], [SPONSORED])
    assert not kept  # the phrase must appear whole


def test_all_versus_any():
    both = Rule(action="add", category="women", all=("المرأة", "إضراب"))
    assert "women" in classify(item("إضراب عاملات: المرأة في المقدمة"), [], [both])[0]
    assert "women" not in classify(item("المرأة في المقدمة"), [], [both])[0]
    mixed = Rule(action="add", category="labour", any=("نقابة", "strike"), all=("مصر",))
    assert "labour" in classify(item("نقابة في مصر"), [], [mixed])[0]
    assert "labour" not in classify(item("نقابة في تونس"), [], [mixed])[0]
    assert "labour" not in classify(item("مصر"), [], [mixed])[0]


def test_rules_apply_in_order_and_drop_wins_wherever_it_stands():
    text = item("إضراب — إعلان ممول")
    first = classify(text, [], [SPONSORED, LABOUR])
    last = classify(text, [], [LABOUR, SPONSORED])
    assert first[1] and last[1]
    both_add = classify(item("إضراب المرأة"), ["politics"], [WOMEN, LABOUR])
    assert both_add == (frozenset({"politics", "women", "labour"}), False)


def test_unknown_words_do_not_match_and_empty_rules_match_nothing():
    assert classify(item("حديث عن الطقس"), ["x"], [LABOUR, WOMEN, SPONSORED]) == (
        frozenset({"x"}),
        False,
    )
    empty = Rule(action="drop")
    assert classify(item("anything"), [], [empty]) == (frozenset(), False)


def test_precompiled_rules_give_the_same_answer():
    compiled = compile_rules([LABOUR, SPONSORED])
    text = item("نقابة")
    assert classify(text, ["a"], compiled) == classify(text, ["a"], [LABOUR, SPONSORED])


def test_source_tags_count_as_text():
    assert "labour" in classify(item("بيان", tags=["نقابات", "إضراب"]), [], [LABOUR])[0]

"""Categories for an item: its sources' categories plus the operator's keyword rules.

Matching happens on ``normalize_text`` of both the keyword and the item's text (title,
summary, content with markup stripped, and the source's own tags), so a rule written
without diacritics, tatweel or hamza matches text that has them, and the reverse.

Word boundaries: a keyword matches whole normalized words only ("strike" does not match
"strikes"; a phrase must appear as consecutive words). Arabic words take clitic prefixes,
so a keyword whose first word is Arabic also matches in every spelling
``aggregator.text.words`` allows: a conjunction (و ف), then a preposition (ب ك ل), then
the article (ال, with ل + ال written لل); a keyword written with ال also matches without
it. Search expands a query word the same way. Suffixes (pronouns, plurals) are not
stripped: write those forms as extra keywords.

A rule with ``any`` matches when one of those keywords occurs, with ``all`` when every one
occurs, with both when both hold; a rule with neither matches nothing. Rules run in order;
``add`` adds its category, ``drop`` marks the item dropped, which wins over everything.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aggregator.models import ParsedItem, Rule
from aggregator.text import clitic_pattern, html_to_text, keyword_base, normalize_text
from aggregator.text.words import is_arabic

__all__ = ["CompiledRule", "classify", "compile_rules", "item_text", "keyword_pattern"]

_CLITICS = clitic_pattern()


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    any: re.Pattern[str] | None
    all: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        if self.any is None and not self.all:
            return False
        if self.any is not None and not self.any.search(text):
            return False
        return all(p.search(text) for p in self.all)


def _keyword_regex(keyword: str) -> str | None:
    words = normalize_text(keyword).split()
    if not words:
        return None
    first = words[0]
    if is_arabic(first):
        body = " ".join([_CLITICS + re.escape(keyword_base(first)), *map(re.escape, words[1:])])
    else:
        body = " ".join(map(re.escape, words))
    # Normalized text is single-spaced, so spaces are the only word boundaries.
    return f"(?<!\\S){body}(?!\\S)"


def keyword_pattern(keyword: str) -> re.Pattern[str] | None:
    """The compiled matcher for one keyword (None if it normalizes to nothing)."""
    regex = _keyword_regex(keyword)
    return re.compile(regex) if regex else None


def _compile_one(rule: Rule) -> CompiledRule:
    any_parts = [r for r in map(_keyword_regex, rule.any) if r]
    all_parts = tuple(p for p in map(keyword_pattern, rule.all) if p)
    any_pattern = re.compile("|".join(any_parts)) if any_parts else None
    return CompiledRule(rule=rule, any=any_pattern, all=all_parts)


@functools.lru_cache(maxsize=32)
def _compile_cached(rules: tuple[Rule, ...]) -> tuple[CompiledRule, ...]:
    return tuple(_compile_one(rule) for rule in rules)


def compile_rules(rules: Iterable[Rule | CompiledRule]) -> tuple[CompiledRule, ...]:
    """Precompile once per configuration; ``classify`` also caches this itself."""
    items = tuple(rules)
    if all(isinstance(r, Rule) for r in items):
        return _compile_cached(items)
    return tuple(r if isinstance(r, CompiledRule) else _compile_one(r) for r in items)


def item_text(item: ParsedItem) -> str:
    """The normalized text rules are matched against."""
    parts = [
        item.title,
        html_to_text(item.summary_html),
        html_to_text(item.content_html),
        *item.tags,
    ]
    return normalize_text(" \n ".join(parts))


def classify(
    item: ParsedItem,
    source_categories: Iterable[str],
    rules: Sequence[Rule | CompiledRule],
) -> tuple[frozenset[str], bool]:
    """(categories, dropped) for one item."""
    categories = set(source_categories)
    compiled = compile_rules(rules)
    if not compiled:
        return frozenset(categories), False
    text = item_text(item)
    dropped = False
    for rule in compiled:
        if not rule.matches(text):
            continue
        if rule.rule.action == "drop":
            dropped = True
        elif rule.rule.category:
            categories.add(rule.rule.category)
    return frozenset(categories), dropped

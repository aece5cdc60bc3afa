"""The near-duplicate decision on a labeled set of headline pairs (tests/data/dedupe).

820 hand-composed Arabic and English pairs, half one story told differently (syndicated
copy, a prefix such as "عاجل:", spelling variants, rewritten headlines, a cut summary),
half different stories sharing many words (same actors on the same day, the same kind of
event elsewhere, generic titles). ``make_pairs.py`` there explains how they were built.
Thresholds were chosen on the ``tune`` split; ``heldout`` families were kept out of it.

The decision measured is the whole near-duplicate layer: the two items must share at least
two LSH band keys (or the store would never compare them) and ``compare_stories`` must merge them.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import DATA

from aggregator.dedupe import MIN_SHARED_BANDS, StoryText, compare_stories, story_signature
from aggregator.models import DedupeSettings, ParsedItem

PAIRS = [
    json.loads(line)
    for line in (DATA / "dedupe" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
]


def _item(side: dict) -> ParsedItem:
    return ParsedItem(
        guid=None,
        link=None,
        title=side["title"],
        summary_html=side["summary"],
        content_html="",
        author=None,
        published=None,
        updated=None,
    )


def merged(pair: dict) -> bool:
    a, b = story_signature(_item(pair["a"])), story_signature(_item(pair["b"]))
    if len(set(a.bands) & set(b.bands)) < MIN_SHARED_BANDS:
        return False  # the store would never compare them
    decision = compare_stories(
        StoryText.decode(a.features),
        StoryText.decode(b.features),
        threshold=DedupeSettings().threshold,
    )
    return decision.merge


def scores(split: str) -> tuple[float, float, Counter[str]]:
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for pair in PAIRS:
        if pair["split"] != split:
            continue
        got, want = merged(pair), bool(pair["label"])
        counts[("t" if got == want else "f") + ("p" if got else "n")] += 1
        if got != want:
            missed[pair["kind"]] += 1
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    return precision, recall, missed


def test_the_set_is_balanced_and_large_enough() -> None:
    labels = Counter(pair["label"] for pair in PAIRS)
    assert len(PAIRS) >= 300 and labels[0] == labels[1]
    assert {pair["lang"] for pair in PAIRS} == {"ar", "en"}
    assert Counter(pair["split"] for pair in PAIRS)["heldout"] >= 150


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_merge_precision_and_recall(split: str, capsys: pytest.CaptureFixture[str]) -> None:
    precision, recall, missed = scores(split)
    with capsys.disabled():
        print(
            f"\n  dedupe labeled set, {split}: precision {precision:.3f}, recall {recall:.3f}; "
            f"errors by kind: {dict(missed) or 'none'}"
        )
    assert precision >= 0.99
    assert recall >= 0.9

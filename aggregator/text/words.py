"""Which spellings are one word: Arabic clitics and the article, and light stemming.

Arabic writes conjunctions, prepositions and the article onto the word: "and in the
strike" is one written word, والإضراب ... وبالإضراب. The grammar here is the one rules,
search and story matching all use:

    [و|ف] conjunction, then [ب|ك|ل] preposition, then [ال] article, then the word

with one contraction: ل before ال drops the alef (لل), so "for the strike" is للإضراب.
Two directions of use, one grammar:

- ``clitic_forms`` generates a keyword's spellings: rules (classify) and search match
  exactly those, so a rule for اضراب matches وباضراب and فلاضراب but not لالاضراب,
  and never a different word that merely starts with the same letters.
- ``strip_clitics`` reads a word of running text back to its stem, for story matching,
  which compares whole texts word by word. Without a dictionary the reading cannot know
  whether the ب of بيان belongs to the word, so it strips the same letters from every
  spelling (بيان, للبيان and وبيان all become يان): every form of a word gets one stem,
  at the price of an occasional pair of different words sharing one (ولد, بلد), which
  a comparison of dozens of words does not notice.

``stem`` adds what only story matching wants: Arabic suffixes (plurals, pronouns),
English plurals and verb endings, and British spellings as American ones ("labour
organisers" is "labor organizer"), so one story told by two outlets compares equal.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "PROCLITICS",
    "clitic_forms",
    "clitic_pattern",
    "is_arabic",
    "keyword_base",
    "stem",
    "strip_clitics",
]

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
_ARTICLE = "ال"


def _proclitics() -> tuple[str, ...]:
    forms = set()
    for conjunction in _CONJUNCTIONS:
        for preposition in _PREPOSITIONS:
            for article in ("", _ARTICLE):
                if preposition == "ل" and article:
                    forms.add(conjunction + "لل")
                else:
                    forms.add(conjunction + preposition + article)
    forms.discard("")
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


# Every clitic prefix the grammar allows, longest first (so a regex or a reading tries
# والـ before و).
PROCLITICS = _proclitics()
_HAS_ARTICLE = frozenset(p for p in PROCLITICS if p.endswith(("ال", "لل")))
_CLITIC_LETTERS = frozenset("وفبكل")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
# The shortest stem reading text may leave: two letters (حب، دم), whichever clitics went.
_MIN_STEM = 2


def is_arabic(word: str) -> bool:
    """Whether a (normalized) word starts with an Arabic letter: only those take clitics."""
    return bool(_ARABIC_LETTER.match(word))


def keyword_base(word: str) -> str:
    """The word a keyword names: written with the article (الإضراب), it also means the word
    without it, so its clitic forms are built on اضراب. Short words keep theirs: in الله
    or الم the two letters are not an article."""
    if is_arabic(word) and word.startswith(_ARTICLE) and len(word) > 4:
        return word[len(_ARTICLE) :]
    return word


def clitic_forms(word: str) -> tuple[str, ...]:
    """Every spelling of a (normalized) keyword that rules and search accept as it: the
    word itself and each clitic prefix on its base. A non-Arabic word has one spelling."""
    if not is_arabic(word):
        return (word,)
    base = keyword_base(word)
    return tuple(dict.fromkeys([word, base, *(p + base for p in PROCLITICS)]))


def clitic_pattern() -> str:
    """A regex for the optional clitic prefix in front of an Arabic keyword's base: the
    rules' matcher (classify) puts it before every keyword."""
    return "(?:" + "|".join(map(re.escape, PROCLITICS)) + ")?"


def strip_clitics(word: str) -> str:
    """The stem of a word of running text, every clitic spelling of a word read alike.

    First the longest prefix the grammar allows (وبال, لل, ف ...), then any clitic letter
    still in front, because the stem of the word itself may start with one: so بيان,
    وبيان and للبيان all read يان, and فلسطين and بفلسطين both read سطين."""
    if not word or not is_arabic(word):
        return word
    for prefix in PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix) :]
            break
    while word[0] in _CLITIC_LETTERS and len(word) > _MIN_STEM:
        word = word[1:]
    return word


# --- stemming for story matching ------------------------------------------------------

_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


@functools.lru_cache(maxsize=1 << 15)  # news repeats its words: most calls are hits
def stem(word: str) -> str:
    """A light stem, so "النقابة", "نقابات" and "والنقابه" count as one word, as do
    "strikes" and "strike", "organised" and "organized". Deliberately shallow: matching
    needs consistency, not linguistics."""
    if not word:
        return word
    if is_arabic(word):
        word = strip_clitics(word)
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word = word[: -len(suffix)]
        return word
    if word.isascii() and word.isalpha() and len(word) > 3:
        return _english_stem(word)
    return word


# British spellings as American ones, for words news uses: the roots that take -our,
# -re, -ise and a doubled l, and a few whole words.
_OUR_ROOTS = (
    "lab", "fav", "col", "hon", "neighb", "harb", "behavi", "rum", "endeav", "vig", "hum",
    "flav", "sav", "arm", "parl", "splend", "val", "savi", "od", "clam", "ferv", "rig",
    "tum", "vap", "ard", "cand",
)  # fmt: skip
_OUR_RE = re.compile(rf"^({'|'.join(_OUR_ROOTS)})our(s|ed|ing|er|ers|ite|ites|able|ably)?$")
_RE_ROOTS = (
    "cent", "theat", "met", "lit", "fib", "calib", "spect", "somb", "meag", "lust", "sab",
    "manoeuv", "kilomet", "millimet", "centimet",
)  # fmt: skip
_RE_RE = re.compile(rf"^({'|'.join(_RE_ROOTS)})re(s|d)?$")
_LL_ROOTS = (
    "travel", "cancel", "model", "label", "fuel", "signal", "total", "level", "channel",
    "counsel", "equal", "marshal", "jewel", "dial", "duel", "rival", "quarrel", "tunnel",
    "funnel", "shovel", "panel",
)  # fmt: skip
_LL_RE = re.compile(rf"^({'|'.join(_LL_ROOTS)})l(ed|ing|er|ers)$")
# Words ending in -ise that are not -ize words anywhere.
_ISE_WORDS = frozenset(
    {
        "rise", "wise", "advise", "devise", "revise", "supervise", "televise", "surprise",
        "comprise", "compromise", "enterprise", "exercise", "franchise", "merchandise",
        "premise", "promise", "raise", "praise", "noise", "poise", "cruise", "bruise",
        "expertise", "concise", "precise", "excise", "incise", "paradise", "despise",
        "disguise", "improvise", "circumcise", "demise", "otherwise", "likewise",
        "clockwise", "treatise", "arise", "sunrise", "uprise", "prise", "chastise",
        "reprise", "appraise", "apprise", "guise", "anise", "mortise", "porpoise",
        "tortoise", "turquoise", "valise", "chemise", "braise",
    }
)  # fmt: skip
_ISE_RE = re.compile(r"^(\w{3,})is(e|es|ed|ing|er|ers|ation|ations|ational)$")
_YSE_RE = re.compile(r"^(anal|paral|catal|dial)ys(e|es|ed|ing|er|ers)$")
_BRITISH_WORDS = {
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "grey": "gray", "tyre": "tire",
    "tyres": "tires", "catalogue": "catalog", "aluminium": "aluminum", "cheque": "check",
    "cheques": "checks", "kerb": "curb", "plough": "plow", "sceptic": "skeptic",
    "sceptical": "skeptical", "mould": "mold", "foetus": "fetus", "paediatric": "pediatric",
    "anaesthetic": "anesthetic", "haemorrhage": "hemorrhage", "oestrogen": "estrogen",
    "enrol": "enroll", "fulfil": "fulfill", "instalment": "installment", "judgement":
    "judgment", "ageing": "aging", "whilst": "while", "amongst": "among",
}  # fmt: skip
_ENGLISH_STEM = 7
_KEPT_DOUBLE = frozenset("aeioudlsz")  # add, fall, press, buzz: doubled in the word itself


def _american(word: str) -> str:
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    if match := _OUR_RE.match(word):
        return match.group(1) + "or" + (match.group(2) or "")
    if match := _RE_RE.match(word):
        return match.group(1) + "er" + (match.group(2) or "")
    if match := _LL_RE.match(word):
        return match.group(1) + match.group(2)
    if match := _YSE_RE.match(word):
        return match.group(1) + "yz" + match.group(2)
    if (match := _ISE_RE.match(word)) and match.group(1) + "ise" not in _ISE_WORDS:
        return match.group(1) + "iz" + match.group(2)
    return word


def _english_stem(word: str) -> str:
    """Plurals, then verb endings off, so "arrests", "arrested" and "arresting" are one
    word (active and passive headlines share their verbs), then a final e, so "strike"
    and "striking" are too."""
    word = _american(word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "sses", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    # Long words to their first seven letters: derivations of one word ("protesters" and
    # "protests", "demonstrators" and "demonstration", "Tunisian" and "Tunisia") are one.
    return word[:_ENGLISH_STEM] if len(word) > _ENGLISH_STEM else word


def _undouble(word: str) -> str:
    """stopp -> stop, but not fall or press: a doubled consonant the verb ending added."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _KEPT_DOUBLE:
        return word[:-1]
    return word

"""Text reduced to what a reader would call "the same words".

The one normalization rules, search, story matching and identity keys share, so that a
rule written without diacritics matches text written with them, a search finds what the
rules find, and two outlets' spellings of one headline compare equal.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_digits", "normalize_text"]

_ARABIC_LETTER_MAP = {
    "آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا",  # alef forms
    "ى": "ي", "ی": "ي", "ئ": "ي",  # alef maqsura, Persian ya, hamza on ya
    "ؤ": "و",  # hamza on waw
    "ة": "ه", "ۀ": "ه",  # ta marbuta, heh with yeh above
    "ک": "ك",  # Persian kaf
}  # fmt: skip
_REMOVED_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))


# Arabic-Indic (٠-٩) and Persian, or extended Arabic-Indic (۰-۹), digits as ASCII ones.
_DIGITS = {code: str(code - 0x0660) for code in range(0x0660, 0x066A)} | {
    code: str(code - 0x06F0) for code in range(0x06F0, 0x06FA)
}


def ascii_digits(text: str) -> str:
    """``text`` with Eastern Arabic digits as ASCII ones, and nothing else changed (dates
    and numbers keep their punctuation: "٣/٥/٢٠٢٤" is "3/5/2024")."""
    return text.translate(_DIGITS)


class _CharMap(dict[int, str | None]):
    """``str.translate`` table filled on first sight of each character.

    Deciding per character once (not per call) keeps normalize_text cheap enough to run on
    every item's whole text.
    """

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        result: str | None
        if char in _ARABIC_LETTER_MAP:
            result = _ARABIC_LETTER_MAP[char]
        elif any(lo <= code <= hi for lo, hi in _REMOVED_RANGES):
            result = None
        elif (folded := _without_marks(char)) is not None:
            result = folded  # é, ñ, ő as e, n, o: "Montréal" is "Montreal"
        elif code in _DIGITS:  # Arabic-Indic and Persian digits
            result = _DIGITS[code]
        else:
            category = unicodedata.category(char)
            if category[0] in "PSZ" or category == "Cc":
                result = " "
            elif category == "Cf" or (category == "Mn" and _is_latin_mark(code)):
                # ZWNJ, bidi marks, soft hyphen (invisible, not separators); an accent
                # left over after NFKC on a Latin letter
                result = None
            else:
                result = char
        self[code] = result
        return result


def _is_latin_mark(code: int) -> bool:
    """A combining mark of the blocks Latin, Greek and Cyrillic letters take accents from."""
    return 0x0300 <= code <= 0x036F or 0x1AB0 <= code <= 0x1AFF or 0x1DC0 <= code <= 0x1DFF


def _without_marks(char: str) -> str | None:
    """A Latin, Greek or Cyrillic letter without its accents, or None when it has none.

    Only those scripts: in Arabic the marks are handled above (hamza seats are letters
    of their own), and in Indic scripts a combining sign is part of the spelling."""
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) < 2 or ord(decomposed[0]) >= 0x0530:
        return None
    base = "".join(c for c in decomposed if not _is_latin_mark(ord(c)))
    return base if base != char else None


_CHAR_MAP = _CharMap()


class _WordMap(dict[str, str]):
    """Each whitespace-separated token's normalized words, computed on first sight.

    Why: ``str.translate`` looks every character up through a Python int, which for
    Arabic (none of it in the small-int cache) cost 70 us an item, three quarters of
    normalizing; news repeats its words, so a token is translated once and then found.
    Translating token by token gives the same words: every character ``str.split``
    separates on is one the table turns into a space. Full, the map starts over (about
    150 bytes a token)."""

    CAPACITY = 1 << 16

    def __missing__(self, token: str) -> str:
        if len(self) >= self.CAPACITY:
            self.clear()
        words = self[token] = " ".join(_without_tanween_alef(token).translate(_CHAR_MAP).split())
        return words


# The alef that carries tanween at a word's end (إضراباً، شاملاً): the accusative's spelling,
# not the word's, so إضراباً is the word إضراب. Only with the mark: a bare final alef is
# the word's own letter as often as not.
_TANWEEN_ALEF = re.compile("(?:\u064bا|ا\u064b)(?![\\w\u064c-\u065f])")


def _without_tanween_alef(text: str) -> str:
    return _TANWEEN_ALEF.sub("", text) if "\u064b" in text else text


_WORD_MAP = _WordMap()


def normalize_text(text: str) -> str:
    """Text reduced to what a reader would call "the same words", for matching and hashing.

    NFKC, case-folded, Arabic diacritics/tatweel removed (and the alef of a word-final
    tanween: إضراباً is إضراب), alef/ya/ta-marbuta/hamza-seat
    and Persian letter variants unified, accents of Latin letters removed, Eastern digits
    made ASCII, punctuation and symbols turned into spaces, whitespace collapsed.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(filter(None, map(_WORD_MAP.__getitem__, folded.split())))

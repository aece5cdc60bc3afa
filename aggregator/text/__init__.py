"""What counts as the same text: one home for the rules every stage matches words by.

Rules (classify), search (the store's query language) and story matching (dedupe) all
decide whether two spellings are one word; written three times, the three came to
disagree. So each piece of that knowledge lives here once:

- ``normalize``: text reduced to comparable words (diacritics, letter variants, digits,
  case, punctuation); Eastern digits as ASCII ones;
- ``words``: which spellings are one word (Arabic clitic prefixes and the article, the
  light stemming story matching compares on);
- ``html``: the words of an HTML fragment, paragraphs kept apart.

Pure functions over strings, standard library only: every process imports them.
"""

from aggregator.text.html import html_to_text
from aggregator.text.normalize import ascii_digits, normalize_text
from aggregator.text.words import clitic_forms, clitic_pattern, keyword_base, stem, strip_clitics

__all__ = [
    "ascii_digits",
    "clitic_forms",
    "clitic_pattern",
    "html_to_text",
    "keyword_base",
    "normalize_text",
    "stem",
    "strip_clitics",
]

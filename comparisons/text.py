"""Text folding shared by search, the query log and the subjects' search names."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# "B.P.O." or "U.S": single letters joined by dots, read as one word.
_DOTTED_ACRONYM = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?")


def fold_text(text):
    """Return `text` in lower case without accents, punctuation or repeated spaces.

    "Café-Crème, s'il vous plaît!" becomes "cafe creme s il vous plait"; dotted acronyms
    are one word: "B.P.O." becomes "bpo".
    """
    text = _DOTTED_ACRONYM.sub(lambda match: match.group(0).replace(".", ""), text or "")
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", without_marks.lower()).split())

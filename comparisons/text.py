"""Text folding shared by search, the query log and the subjects' search names."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def fold_text(text):
    """Return `text` in lower case without accents, punctuation or repeated spaces.

    "Café-Crème, s'il vous plaît!" becomes "cafe creme s il vous plait".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", without_marks.lower()).split())

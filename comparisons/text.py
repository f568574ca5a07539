"""Text folding shared by search, the query log and the subjects' search names, and the
control characters that text pasted from elsewhere may carry."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
# "B.P.O." or "U.S": single letters joined by dots, read as one word.
_DOTTED_ACRONYM = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?")
_BREAK_CONTROLS = re.compile(r"[\x0b\x0c]")
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def fold_text(text):
    """Return `text` in lower case without accents, punctuation or repeated spaces.

    "Café-Crème, s'il vous plaît!" becomes "cafe creme s il vous plait"; dotted acronyms
    are one word: "B.P.O." becomes "bpo".
    """
    text = _DOTTED_ACRONYM.sub(lambda match: match.group(0).replace(".", ""), text or "")
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", without_marks.lower()).split())


def without_control_characters(text, line_break="\n"):
    """Return `text` without the control characters that XML cannot hold and HTML forbids.

    A vertical tab or form feed (a word processor's line or page break, when its text is
    pasted) becomes `line_break`; the others are left out. Tabs, line feeds and carriage
    returns stay.
    """
    return _OTHER_CONTROLS.sub("", _BREAK_CONTROLS.sub(line_break, text or ""))


def parse_id(value, longest=18):
    """Return `value` as a row id when it is written in ASCII digits (at most `longest` of
    them), else None. str.isdigit() alone also accepts "²" and "١", which int() refuses or
    reads as another number."""
    value = str(value or "")
    if value.isascii() and value.isdigit() and len(value) <= longest:
        return int(value)
    return None


def name_key(name):
    """Return what two names that readers cannot tell apart share: "BPO" and "bpo", "Café"
    and "CAFE" have one key; "C++" and "C#" do not (punctuation is kept)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_marks.casefold().split())

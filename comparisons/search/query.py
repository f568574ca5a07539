"""Reading a query: folded words, the terms to look for, and the sides it may name."""

from dataclasses import dataclass, field

from ..text import fold_text

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Words that say how the reader asks, not what about.
FILLER = frozenset(
    [
        "what",
        "whats",
        "is",
        "are",
        "was",
        "the",
        "a",
        "an",
        "of",
        "between",
        "difference",
        "differences",
        "different",
        "compare",
        "compared",
        "comparison",
        "comparisons",
        "how",
        "do",
        "does",
        "which",
        "better",
        "explain",
        "explained",
        "tell",
        "me",
        "about",
        "in",
        "on",
        "for",
        "main",
        "key",
    ]
)
# Words that separate the two sides of a pair, strongest first.
SEPARATORS = ("vs", "versus", "v", "and", "or", "against", "with", "to")
SEPARATOR_SET = frozenset(SEPARATORS)
# Words too common to look for on their own (they may still be part of a subject's name).
STOP_WORDS = frozenset(
    ["as", "at", "be", "been", "but", "by", "can", "from", "had", "has", "have", "he", "her"]
    + ["his", "if", "into", "its", "no", "nor", "not", "only", "our", "so", "than", "that"]
    + ["their", "them", "then", "there", "these", "they", "this", "those", "too", "very"]
    + ["was", "we", "were", "will", "would", "you", "your"]
)
MAX_SIDES = 4  # "bpo vs kpo vs lpo": the comparisons among up to four named subjects
# Words spelt differently in British and American English, as (British, American) endings.
SPELLING_VARIANTS = (("tre", "ter"), ("our", "or"), ("ise", "ize"), ("yse", "yze"), ("ogue", "og"))


def query_terms(query):
    """Return the meaningful folded words of `query`, without filler such as "vs"."""
    return parse_query(query).terms


@dataclass
class ParsedQuery:
    text: str  # what the reader typed, cut to MAX_QUERY_LENGTH
    truncated: bool
    words: list  # folded words without filler
    terms: list  # words to look for, every one must match: no separators or stop words
    pairs: list  # candidate (left side, right side) folded texts, most likely first
    sides: list = field(default_factory=list)  # three or more sides: "bpo vs kpo vs lpo"

    @property
    def whole(self):
        return " ".join(self.words)


def is_term(word):
    """Whether `word` is worth looking for: not a separator or a stop word."""
    return not (word in SEPARATOR_SET or word in STOP_WORDS)


def parse_query(query):
    """Split `query` into folded words and the candidate sides of an "x vs y" pair."""
    query = "".join(char if char.isprintable() else " " for char in query or "").strip()
    text = query[:MAX_QUERY_LENGTH]
    words = [word for word in fold_text(text).split() if word not in FILLER][:16]
    while words and words[0] in SEPARATOR_SET:
        words.pop(0)
    while words and words[-1] in SEPARATOR_SET:
        words.pop()
    terms = list(dict.fromkeys(word for word in words if is_term(word)))
    if all(term.isdigit() for term in terms):
        terms = []  # bare numbers alone ("' OR 1=1 --") would match everything
    pairs = []
    for separator in SEPARATORS:
        for index, word in enumerate(words):
            if word == separator and 0 < index < len(words) - 1:
                pairs.append((" ".join(words[:index]), " ".join(words[index + 1 :])))
    if not pairs and 2 <= len(words) <= 6:
        pairs = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return ParsedQuery(
        text=text,
        truncated=len(query) > MAX_QUERY_LENGTH,
        words=words,
        terms=terms[:MAX_TERMS],
        pairs=pairs[:6],
        sides=split_sides(words),
    )


def split_sides(words):
    """Return the sides of a query naming three or more things ("a vs b vs c"), else []."""
    for separator in SEPARATORS:
        if words.count(separator) >= 2:
            sides, current = [], []
            for word in [*words, separator]:
                if word == separator:
                    sides.append(" ".join(current))
                    current = []
                else:
                    current.append(word)
            if all(sides) and len(sides) <= MAX_SIDES:
                return sides
            return []
    return []


def spelling_variants(side, limit=8):
    """Return `side` and its British or American spellings ("call center", "call centre")."""
    variants = [""]
    for word in side.split():
        forms = [word]
        for british, american in SPELLING_VARIANTS:
            for this, other in ((british, american), (american, british)):
                if word.endswith(this) and len(word) > len(this) + 2:
                    forms.append(word[: -len(this)] + other)
        variants = [f"{start} {form}".strip() for start in variants for form in forms][:limit]
    return variants

"""Sentiment of support-ticket and feedback text with VADER (vaderSentiment).

VADER is a rule-based model whose lexicon ships inside the vaderSentiment wheel
(vader_lexicon.txt, emoji_utf8_lexicon.txt, read from the package directory): nothing is
downloaded at run time, and a test checks the analyzer works with sockets refused. It is built
for short English texts (its compound score is in [-1, 1]); other languages score near neutral.
"""

from functools import cache
from typing import Any

from graph.traits.compute import sentiment_label

__all__ = ["SENTIMENT_CHANNELS", "score_text", "scored"]

SENTIMENT_CHANNELS = frozenset({"support", "feedback", "survey", "review"})
"""Touchpoints of these channels carry the person's own words."""


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_text(text: str) -> tuple[float, str]:
    """VADER's compound score in [-1, 1] and its label (positive / neutral / negative)."""
    compound = float(_analyzer().polarity_scores(text)["compound"])
    return compound, sentiment_label(compound)


def scored(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`{uid, text}` rows -> `{uid, score, label}`, for touchpoints scored once and kept."""
    out = []
    for row in rows:
        value, label = score_text(str(row["text"]))
        out.append({"uid": row["uid"], "score": round(value, 4), "label": label})
    return out

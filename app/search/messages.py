"""Sentences about search results: the count, each hit's reason, the kind headings."""

from __future__ import annotations

from app.i18n import N_, _, ngettext
from services.search import MatchKind, SearchHit, SearchResult

KIND_HEADINGS = {
    "service": N_("Services"),
    "policy": N_("Policies and regulations"),
    "institution": N_("Institutions"),
}

_FIELDS = {
    "name": N_("name"),
    "title": N_("title"),
    "keywords": N_("keyword"),
    "category": N_("category"),
    "kind": N_("kind of place"),
    "description": N_("description"),
    "summary": N_("summary"),
    "issuer": N_("issued by"),
    "address": N_("address"),
}

_HOW = {
    MatchKind.EXACT: N_("{field} is “{text}”"),
    MatchKind.PREFIX: N_("{field} starts with “{part}”: {text}"),
    MatchKind.SUBSTRING: N_("{field} contains “{part}”: {text}"),
    MatchKind.PINYIN: N_("pinyin matches the {field} “{text}”"),
    MatchKind.FUZZY: N_("similar sound matches the {field} “{text}”"),
    MatchKind.TYPO: N_("close spelling matches the {field} “{text}”"),
}


def result_count_sentence(result: SearchResult) -> str:
    if result.total == 0:
        return _("Nothing found for “{query}”.").format(query=result.query)
    return ngettext("Found {n} item.", "Found {n} items.", result.total).format(n=result.total)


def kind_heading(kind: str, count: int) -> str:
    return _("{kind} ({n})").format(kind=_(KIND_HEADINGS.get(kind, kind)), n=count)


def hit_reason(hit: SearchHit) -> str:
    """Which part matched, in words: “keyword contains “残疾证”: 残疾证到期”."""
    start, end = hit.span
    reason = _(_HOW[hit.match]).format(
        field=_(_FIELDS.get(hit.field, hit.field)),
        text=hit.matched_text,
        part=hit.matched_text[start:end],
    )
    if hit.synonym:
        reason = _("searched as “{word}”; {reason}").format(word=hit.synonym, reason=reason)
    return reason


def hit_label(hit: SearchHit) -> str:
    """The result button's text and spoken name: the item, then why it was found."""
    return _("{title} — {reason}").format(title=hit.title, reason=hit_reason(hit))

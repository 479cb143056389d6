"""Plain-language sentences for eligibility matches, and the questions that fill in missing facts.

Built from the structured result in ``services.matching`` (never from rule text), one sentence
per service: "You qualify: …", "You may qualify (…); we still need to know: …",
"You do not qualify. Required: … (yours: …)", "Already granted without applying: …".
Sentences stay whole msgids with named placeholders so translators can reorder them; lists are
joined with the current language's list pattern (babel ``format_list``: "A, B and C" / "A、B和C").

Stable API for the matching screen: :func:`match_sentence`, :data:`FACT_QUESTIONS`,
:func:`fact_label`, :func:`value_label`, :func:`fact_error_sentence`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import N_, _, format_day
from app.record_words import RECORD_STATUS
from app.words import join_and, join_or
from services.errors import InputError
from services.matching import AllOf, AnyOf, Eligibility, Leaf, Match
from services.matching.facts import FACT_NAMES, FACT_VALUES

# -- describing conditions and values ---------------------------------------------------------

# A condition "fact is value" in words; also used for the person's own value ("yours: …").
_VALUE_PHRASES: dict[tuple[str, Any], str] = {
    ("hukou", "shanghai"): N_("Shanghai household registration"),
    ("hukou", "other"): N_("household registration outside Shanghai"),
    ("certificate", True): N_("holding a disability certificate"),
    ("certificate", False): N_("not holding a disability certificate"),
    ("low_income", "dibao"): N_("receiving dibao"),
    ("low_income", "low_income"): N_("in a low-income household"),
    ("low_income", "none"): N_("neither receiving dibao nor in a low-income household"),
    ("employment", "employed"): N_("working"),
    ("employment", "unemployed"): N_("not currently working"),
    ("employment", "retired"): N_("retired"),
    ("student", True): N_("a student"),
    ("student", False): N_("not a student"),
    # Whole phrases, not "a {kind} disability": articles and word order differ by language.
    ("category", "vision"): N_("a visual disability"),
    ("category", "hearing"): N_("a hearing disability"),
    ("category", "speech"): N_("a speech disability"),
    ("category", "physical"): N_("a physical disability"),
    ("category", "intellectual"): N_("an intellectual disability"),
    ("category", "mental"): N_("a mental disability"),
    ("category", "multiple"): N_("multiple disabilities"),
}
_LEVELS = FACT_VALUES["level"] or (1, 2, 3, 4)


def condition_phrase(leaf: Leaf, district_names: Mapping[str, str] | None = None) -> str:
    """One condition in words, e.g. "disability level 1 or 2", "aged 16 to 59"."""
    fact = leaf.fact
    if fact == "age":
        if leaf.op != "range":
            return _("aged {ages}").format(ages=join_or(str(v) for v in leaf.values))
        if leaf.min is not None and leaf.max is not None:
            if leaf.min == leaf.max:
                return _("aged {ages}").format(ages=leaf.min)
            return _("aged {min} to {max}").format(min=leaf.min, max=leaf.max)
        if leaf.min is not None:
            return _("aged {min} or over").format(min=leaf.min)
        return _("aged {max} or under").format(max=leaf.max)
    if fact == "level":
        levels = [str(level) for level in _LEVELS if leaf.holds_for(level)]
        return _("disability level {levels}").format(levels=join_or(levels))
    if fact == "district":
        names = district_names or {}
        return _("living in {districts}").format(
            districts=join_or(names.get(code, code) for code in leaf.values)
        )
    return join_or(_(_VALUE_PHRASES[(fact, v)]) for v in leaf.values if (fact, v) in _VALUE_PHRASES)


def value_phrase(fact: str, value: Any, district_names: Mapping[str, str] | None = None) -> str:
    """A person's own value in words, e.g. "disability level 3", "aged 70", "retired"."""
    return condition_phrase(Leaf.model_validate({"fact": fact, "is": value}), district_names)


def _merged(leaves: Iterable[Leaf]) -> list[Leaf]:
    """One leaf per fact, in rule order: several met leaves on one fact say the tightest thing
    they say together ("level 1 to 3" and "level 1 or 2" → "level 1 or 2")."""
    by_fact: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        by_fact.setdefault(leaf.fact, []).append(leaf)
    merged = []
    for fact, group in by_fact.items():
        if len(group) == 1:
            merged.append(group[0])
        elif all(leaf.op == "range" for leaf in group):
            lows = [leaf.min for leaf in group if leaf.min is not None]
            highs = [leaf.max for leaf in group if leaf.max is not None]
            bounds = {"min": max(lows) if lows else None, "max": min(highs) if highs else None}
            merged.append(
                Leaf.model_validate(
                    {"fact": fact, **{k: v for k, v in bounds.items() if v is not None}}
                )
            )
        else:
            choices = [v for v in group[0].values or _LEVELS if all(g.holds_for(v) for g in group)]
            merged.append(
                Leaf.model_validate({"fact": fact, "in": choices}) if choices else group[-1]
            )
    return merged


def _failure_phrase(
    condition: AllOf | AnyOf | Leaf, match: Match, district_names: Mapping[str, str]
) -> str:
    if isinstance(condition, Leaf):
        return _("{condition} (yours: {value})").format(
            condition=condition_phrase(condition, district_names),
            value=value_phrase(condition.fact, match.facts.get(condition.fact), district_names),
        )
    parts = [_failure_phrase(child, match, district_names) for child in condition.conditions]
    return join_or(parts) if isinstance(condition, AnyOf) else join_and(parts)


# -- the sentence -----------------------------------------------------------------------------


def match_sentence(match: Match, district_names: Mapping[str, str] | None = None) -> str:
    """One plain sentence for a match, in the current language.

    ``district_names`` maps district codes to the names to show (from ``Catalog.districts()``).
    """
    names = district_names or {}
    if match.status is Eligibility.GRANTED:
        # The reason often says "no application needed" itself; the heading says 免申即享.
        return _("Granted to you: {reason}").format(reason=match.reason or match.name)
    if match.status is Eligibility.APPLIED and match.record is not None:
        record = match.record
        status = str(record.get("status"))
        return _("Applied, {status} (submitted {date}).").format(
            status=_(RECORD_STATUS.get(status, status)),
            date=format_day(str(record.get("submitted_at") or "")),
        )
    if match.status is Eligibility.ELIGIBLE:
        if not match.met:
            return _("Open to everyone: there are no conditions.")
        reasons = join_and(condition_phrase(leaf, names) for leaf in _merged(match.met))
        return _("You qualify: {reasons}.").format(reasons=reasons)
    if match.status is Eligibility.MAYBE:
        missing = join_and(fact_label(fact) for fact in match.missing)
        if match.met:
            reasons = join_and(condition_phrase(leaf, names) for leaf in _merged(match.met))
            return _("You may qualify ({reasons}); we still need to know: {missing}.").format(
                reasons=reasons, missing=missing
            )
        return _("You may qualify; we still need to know: {missing}.").format(missing=missing)
    if match.status is Eligibility.NOT_ELIGIBLE and match.failure is not None:
        return _("You do not qualify. Required: {conditions}.").format(
            conditions=_failure_phrase(match.failure, match, names)
        )
    return _("We cannot check this service for you yet. Please ask at a service point.")


# -- asking for missing facts -----------------------------------------------------------------


@dataclass(frozen=True)
class FactQuestion:
    """How to ask for one fact. Every text is an msgid: show it through ``_()``.

    * ``label``: the fact as something we need ("your disability level");
    * ``question``: the form's question;
    * ``choices``: (value, label msgid) pairs; empty for ``district`` (offer the catalogue's
      districts, value = code) and ``age`` (not asked);
    * ``editable``: False for ``age``, which comes from the ID number on record; ``hint`` says
      how to add it instead.
    """

    fact: str
    label: str
    question: str
    choices: tuple[tuple[Any, str], ...] = ()
    editable: bool = True
    hint: str | None = None


_YES_NO = ((True, N_("Yes")), (False, N_("No")))

FACT_QUESTIONS: dict[str, FactQuestion] = {
    q.fact: q
    for q in (
        FactQuestion(
            "hukou",
            N_("where your household is registered"),
            N_("Where is your household registered (hukou)?"),
            (("shanghai", N_("Shanghai")), ("other", N_("Outside Shanghai"))),
        ),
        FactQuestion(
            "age",
            N_("your age"),
            N_("How old are you?"),
            editable=False,
            hint=N_(
                "Your age comes from the ID number on your record. To add it, ask at your "
                "community service centre."
            ),
        ),
        FactQuestion(
            "certificate",
            N_("whether you hold a disability certificate"),
            N_("Do you hold a disability certificate?"),
            _YES_NO,
        ),
        FactQuestion(
            "category",
            N_("your type of disability"),
            N_("What type of disability is on your certificate?"),
            (
                ("vision", N_("Visual disability")),
                ("hearing", N_("Hearing disability")),
                ("speech", N_("Speech disability")),
                ("physical", N_("Physical disability")),
                ("intellectual", N_("Intellectual disability")),
                ("mental", N_("Mental disability")),
                ("multiple", N_("Multiple disabilities")),
            ),
        ),
        FactQuestion(
            "level",
            N_("your disability level"),
            N_("What is your disability level?"),
            (
                (1, N_("Level 1 (most severe)")),
                (2, N_("Level 2")),
                (3, N_("Level 3")),
                (4, N_("Level 4 (mildest)")),
            ),
        ),
        FactQuestion(
            "low_income",
            N_("whether your household receives dibao or has a low income"),
            N_("Does your household receive dibao or count as a low-income household?"),
            (
                ("dibao", N_("Receives dibao")),
                ("low_income", N_("Low-income household")),
                ("none", N_("Neither")),
            ),
        ),
        FactQuestion(
            "employment",
            N_("whether you are working"),
            N_("Are you working at the moment?"),
            (
                ("employed", N_("Working")),
                ("unemployed", N_("Not working")),
                ("retired", N_("Retired")),
            ),
        ),
        FactQuestion(
            "student",
            N_("whether you are a student"),
            N_("Are you a student?"),
            _YES_NO,
        ),
        FactQuestion(
            "district",
            N_("which district you live in"),
            N_("Which district do you live in?"),
        ),
    )
}
assert tuple(FACT_QUESTIONS) == FACT_NAMES, "one question per fact, in FACT_NAMES order"


def fact_label(fact: str) -> str:
    """What we still need, translated: "your disability level"."""
    question = FACT_QUESTIONS.get(fact)
    return _(question.label) if question else fact


def value_label(fact: str, value: Any, district_names: Mapping[str, str] | None = None) -> str:
    """A choice's label, translated ("Level 2"); district codes become names."""
    if fact == "district":
        return (district_names or {}).get(value, str(value))
    question = FACT_QUESTIONS.get(fact)
    for choice, label in question.choices if question else ():
        if type(choice) is type(value) and choice == value:
            return _(label)
    return str(value)


_FACT_ERRORS = {
    "fact_invalid": N_("Please choose one of the answers offered."),
    "district_invalid": N_("Please choose your district from the list."),
    "nothing_changed": N_("Nothing was changed."),
}


def fact_error_sentence(error: InputError) -> str:
    """Why a facts edit (``PersonalData.edit_facts``) was refused before sending."""
    return _(_FACT_ERRORS.get(error.code, N_("Please check what you typed.")))


# -- the matching screen's headings and summary -----------------------------------------------

STATUS_HEADINGS = {
    Eligibility.GRANTED: N_("Already granted to you, without applying"),
    Eligibility.APPLIED: N_("You have applied"),
    Eligibility.ELIGIBLE: N_("You can apply"),
    Eligibility.MAYBE: N_("You may be able to apply"),
    Eligibility.NOT_ELIGIBLE: N_("Not for you at the moment"),
    Eligibility.UNKNOWN_RULE: N_("Ask at a service point"),
}


def count_by_status(matches: Iterable[Match]) -> dict[Eligibility, int]:
    counts = dict.fromkeys(Eligibility, 0)
    for match in matches:
        counts[match.status] += 1
    return counts


def matching_summary(matches: Iterable[Match]) -> str:
    """ "2 granted, 3 you can apply for, 5 maybe": the screen's first line, also announced."""
    counts = count_by_status(matches)
    return _(
        "Already granted: {granted}. Applied for: {applied}. You can apply for: {eligible}. "
        "You may be able to apply for: {maybe}."
    ).format(
        granted=counts[Eligibility.GRANTED],
        applied=counts[Eligibility.APPLIED],
        eligible=counts[Eligibility.ELIGIBLE],
        maybe=counts[Eligibility.MAYBE],
    )


def rematched_sentence(matches: Iterable[Match]) -> str:
    """Said after the person answers a question: the answer is kept, and what it changed."""
    return _("Saved. Your services were matched again. {summary}").format(
        summary=matching_summary(matches)
    )


def needed_facts(matches: Iterable[Match]) -> list[str]:
    """The facts that would settle the most "maybe" services, most useful first."""
    counts: dict[str, int] = {}
    for match in matches:
        if match.status is Eligibility.MAYBE:
            for fact in match.missing:
                counts[fact] = counts.get(fact, 0) + 1
    return sorted(counts, key=lambda fact: (-counts[fact], FACT_NAMES.index(fact)))

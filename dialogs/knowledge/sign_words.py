"""knowledge.yaml `sign_words`: the concepts warning signs are made of, and the guards.

`concepts` are named word lists; `guards` the contexts that take a mention back (negation,
figures of speech, questions, other people, the past...). The `red_flags` section adds its own
phrases to the compiled `concepts` (dialogs/knowledge/red_flags.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.knowledge.language import Language
from dialogs.knowledge.node import Node
from dialogs.numbers import NumberWords
from dialogs.text import Lexicon, PhraseSet


@dataclass(frozen=True, slots=True)
class Guards:
    figurative: PhraseSet[str]  # a sign inside one of these is a figure of speech
    not_negating: PhraseSet[str]  # "cant stop": a negator that denies nothing
    denials: PhraseSet[str]  # a clause that is only "nope": denies the clause before
    other_people: PhraseSet[str]  # "my gran", "he", "she"
    things: PhraseSet[str]  # "my laptop had a fit": a thing, not a person
    anyone: PhraseSet[str]  # "people", "someone", "you": people in general, nobody in particular
    weeks_ago: PhraseSet[str]  # "last month": another person's sign then is their past
    first_person: frozenset[str]  # "i", "my", "me"
    complaint: PhraseSet[str]  # "twitching", "cramps": a clause about one's own complaint
    pronouns: frozenset[str]  # "it", "they": the clause goes on about the one before
    past: PhraseSet[str]  # "had", "was": a past event
    long_ago: PhraseSet[str]  # "years ago", "as a kid"
    earlier: PhraseSet[str]  # "last year": long past, except for a flag about what came before
    recent: PhraseSet[str]  # "today", "since", "now": recent or ongoing
    resolved: PhraseSet[str]  # "but fine now": the sign said before it is over
    hypothetical: PhraseSet[str]  # "what if", "in case": the rest of the clause is not a fact
    generic: PhraseSet[str]  # "a sign of", "can * cause": talking about signs, not having one
    question_openers: PhraseSet[str]  # "is", "can", "does" at the start of a sentence
    asking: PhraseSet[str]  # "should i worry": first person that does not own the sign
    worry: PhraseSet[str]  # "worried", "scared": a named flag is only feared
    not_things: PhraseSet[str] | None = None  # "the dog bite": a thing's name that is no subject
    media: PhraseSet[str] | None = None  # "a documentary about": the rest of the sentence is talk
    # "my son", "my wife": people the user cares for; another person's past sign is asked back
    # only for them (when? it may be now), anyone else's is their story
    dependants: PhraseSet[str] | None = None
    # "my daughter's friend", "my son's teacher": someone of theirs, not a dependant
    not_dependants: PhraseSet[str] | None = None
    # "her friend fainted": a clause opening on someone of the cared-for person's
    their_people: PhraseSet[str] | None = None
    # "noticed", "says": another person who reports the user's own sign ("my wife has noticed
    # i keep choking"): the clause is about the user when a first person follows the verb
    witnesses: PhraseSet[str] | None = None
    # "it had been going for weeks before that": the twitching came first, so a flag about
    # what came before it (an injury) does not apply
    predates: PhraseSet[str] | None = None
    # "happens", "mine does": after a question, the user tells it is their own experience
    owned: PhraseSet[str] | None = None
    # "she's feverish", "is slurring": a cared-for person's sign going on now, in its own clause
    current: PhraseSet[str] | None = None
    # "can barely breathe", "could hardly stand": it starts like a question but tells
    statements: PhraseSet[str] | None = None
    # "since her parkinson's", "from bell's palsy": another person's sign explained by their illness
    diagnosed: PhraseSet[str] | None = None
    # "like after a long bike ride", "as if i'd slept on it": a cause named as a comparison
    # is no cause
    similes: PhraseSet[str] | None = None
    # "she was fine at lunch": when a sign began, not that it is over
    onsets: PhraseSet[str] | None = None
    # "can't hold the dumbbell i used to rep easy": a past after the sign compares with
    # before; it does not put the sign in the past
    comparisons: PhraseSet[str] | None = None
    # "is it just tiredness if my fingers...?", "should i worry if my...": a question whose
    # "if" tells the user's own sign
    conditions: PhraseSet[str] | None = None
    # "if i'm honest", "if that makes sense": an "if" that supposes nothing
    asides: PhraseSet[str] | None = None
    # "he", "she": a message that names nobody else but so is about the one the user types for
    persons: frozenset[str] = frozenset()
    # "i'm the one with the twitch", "my own bother is...": the user asks for themselves, so
    # another person's sign in the message is theirs to tell, even one going on now
    for_self: PhraseSet[str] | None = None


@dataclass(frozen=True, slots=True)
class Lasting:
    """knowledge.yaml `sign_words.long_minutes.lasting`: "cramped at 3am, still rock hard at
    half 3": two clock times with one of `words` between them span the minutes from one to
    the other (at most `within`: further apart, they are two events)."""

    words: frozenset[str] = frozenset()
    within: float = 180


@dataclass(frozen=True, slots=True)
class Pulse:
    """knowledge.yaml `sign_words.fast_pulse`: a heart rate above `over` ("pulse is 150",
    "140 bpm") is the concept `concept`."""

    concept: str
    over: float
    before: PhraseSet[str]  # "pulse", "heart rate": within `reach` words before the number
    after: PhraseSet[str]  # "bpm": right after it
    reach: int = 3


@dataclass(frozen=True, slots=True)
class SignWords:
    """knowledge.yaml `sign_words`, compiled (`concepts` once `red_flags` added theirs)."""

    entries: tuple[tuple[str, str], ...]  # phrase -> concept name
    guards: Guards
    post_negators: frozenset[str]
    negators: frozenset[str]
    lists: frozenset[str]
    window: int
    short_clause: int  # a clause this short goes on from the one before ("warm and red")
    clause_words: frozenset[str]
    numbers: NumberWords
    minutes: tuple[str, float, dict[str, float]] | None = None  # (concept, over, unit -> min)
    pulse: Pulse | None = None  # "pulse is 150": a number over a rate, next to a heart word
    lasting: Lasting = Lasting()  # "at 3am ... still at half 3": from one clock time to another
    # "4 hours sleep", "a 14 hour flight": the time of something else, not of a sign
    not_after: PhraseSet[str] | None = None
    simile_reach: int = 3  # a comparison word this close before a cause takes it back
    concepts: PhraseSet[str] | None = None  # the concepts and the flags' own phrases
    vocabulary: frozenset[str] = frozenset()  # every word of them (typo repair targets)


def _phrases(node: Node, value: str, lexicon: Lexicon) -> PhraseSet[str]:
    return PhraseSet(((p, value) for p in node.strs()), lexicon)


def parse_sign_words(node: Node, language: Language) -> SignWords:
    lexicon: Lexicon = language.lexicon
    node.only_keys(
        "concepts", "guards", "window", "short_clause", "long_minutes", "fast_pulse", "simile_reach"
    )
    entries: list[tuple[str, str]] = []
    for name, child in node.get("concepts").items():
        entries.extend((p, name) for p in child.strs())
    g = node.get("guards")
    g.only_keys(
        "figurative", "not_negating", "denials", "other_people", "things", "anyone", "weeks_ago",
        "first_person",
        "complaint", "pronouns", "past", "long_ago", "earlier", "recent", "resolved",
        "hypothetical", "generic", "question_openers", "asking", "worry", "not_things", "media",
        "dependants", "not_dependants", "witnesses", "predates", "owned", "current", "statements",
        "diagnosed", "similes", "onsets", "comparisons", "conditions", "asides",
        "persons", "their_people", "for_self",
    )  # fmt: skip
    guards = Guards(
        figurative=_phrases(g.get("figurative"), "fig", lexicon),
        not_negating=_phrases(g.get("not_negating"), "not_negating", lexicon),
        denials=_phrases(g.get("denials"), "no", lexicon),
        other_people=_phrases(g.get("other_people"), "other", lexicon),
        things=_phrases(g.get("things"), "thing", lexicon),
        anyone=_phrases(g.get("anyone"), "anyone", lexicon),
        weeks_ago=_phrases(g.get("weeks_ago"), "weeks_ago", lexicon),
        first_person=frozenset(g.get("first_person").strs()),
        complaint=_phrases(g.get("complaint"), "complaint", lexicon),
        pronouns=frozenset(g.get("pronouns").strs()),
        past=_phrases(g.get("past"), "past", lexicon),
        long_ago=_phrases(g.get("long_ago"), "long_ago", lexicon),
        earlier=_phrases(g.get("earlier"), "earlier", lexicon),
        recent=_phrases(g.get("recent"), "recent", lexicon),
        resolved=_phrases(g.get("resolved"), "resolved", lexicon),
        hypothetical=_phrases(g.get("hypothetical"), "if", lexicon),
        generic=_phrases(g.get("generic"), "generic", lexicon),
        question_openers=_phrases(g.get("question_openers"), "q", lexicon),
        asking=_phrases(g.get("asking"), "asking", lexicon),
        worry=_phrases(g.get("worry"), "worry", lexicon),
        not_things=(
            _phrases(g.get("not_things"), "not_thing", lexicon) if g.has("not_things") else None
        ),
        media=_phrases(g.get("media"), "media", lexicon) if g.has("media") else None,
        dependants=(
            _phrases(g.get("dependants"), "dependant", lexicon) if g.has("dependants") else None
        ),
        not_dependants=(
            _phrases(g.get("not_dependants"), "not_dependant", lexicon)
            if g.has("not_dependants")
            else None
        ),
        their_people=(
            _phrases(g.get("their_people"), "their_people", lexicon)
            if g.has("their_people")
            else None
        ),
        witnesses=(
            _phrases(g.get("witnesses"), "witness", lexicon) if g.has("witnesses") else None
        ),
        predates=_phrases(g.get("predates"), "predates", lexicon) if g.has("predates") else None,
        owned=_phrases(g.get("owned"), "owned", lexicon) if g.has("owned") else None,
        current=_phrases(g.get("current"), "current", lexicon) if g.has("current") else None,
        diagnosed=_phrases(g.get("diagnosed"), "dx", lexicon) if g.has("diagnosed") else None,
        similes=_phrases(g.get("similes"), "simile", lexicon) if g.has("similes") else None,
        onsets=_phrases(g.get("onsets"), "onset", lexicon) if g.has("onsets") else None,
        comparisons=(
            _phrases(g.get("comparisons"), "comparison", lexicon) if g.has("comparisons") else None
        ),
        conditions=(
            _phrases(g.get("conditions"), "condition", lexicon) if g.has("conditions") else None
        ),
        statements=(
            _phrases(g.get("statements"), "statement", lexicon) if g.has("statements") else None
        ),
        asides=_phrases(g.get("asides"), "aside", lexicon) if g.has("asides") else None,
        persons=frozenset(g.get("persons").strs()) if g.has("persons") else frozenset(),
        for_self=_phrases(g.get("for_self"), "for_self", lexicon) if g.has("for_self") else None,
    )
    minutes = None
    not_after: PhraseSet[str] | None = None
    lasting = Lasting()
    if node.has("long_minutes"):
        lm = node.get("long_minutes").only_keys(
            "concept", "over", "units", "lasting", "within", "not_after"
        )
        units = {k: c.number(0) for k, c in lm.get("units").items()}
        lexicon.add(units)
        minutes = (lm.get("concept").str(), lm.get("over").number(0), units)
        if lm.has("not_after"):
            not_after = _phrases(lm.get("not_after"), "not_after", lexicon)
        if lm.has("lasting"):
            lasting = Lasting(
                frozenset(lm.get("lasting").strs()), lm.get("within", 180).number(1, 720)
            )
    pulse = None
    if node.has("fast_pulse"):
        fp = node.get("fast_pulse").only_keys("concept", "over", "before", "after", "reach")
        pulse = Pulse(
            concept=fp.get("concept").str(),
            over=fp.get("over").number(0),
            before=_phrases(fp.get("before"), "pulse", lexicon),
            after=_phrases(fp.get("after"), "pulse", lexicon),
            reach=int(fp.get("reach", 3).number(1, 10)),
        )
    negation = language.negation
    return SignWords(
        entries=tuple(entries),
        guards=guards,
        post_negators=negation.post,
        negators=negation.negators,
        lists=negation.lists,
        window=int(node.get("window", negation.window).number(1, 10)),
        short_clause=int(node.get("short_clause", 2).number(0, 10)),
        simile_reach=int(node.get("simile_reach", 3).number(0, 10)),
        clause_words=language.clause_words,
        numbers=language.tools.numbers,
        minutes=minutes,
        pulse=pulse,
        lasting=lasting,
        not_after=not_after,
    )

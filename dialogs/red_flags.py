"""Warning signs (red flags) in free text, read the way a clinician reads them.

A sign is a body part or function together with what is wrong with it ("can barely get air
in": air + barely), or a fixed expression ("pins and needles"), said of the user (or of the
person they ask for), now or since the twitching started. The words are data
(knowledge.yaml `sign_words` and `red_flags`): `sign_words.concepts` are named word lists, a
flag's `signs` are the combinations of concepts that describe it, and `sign_words.guards`
are the contexts that take a mention back: negation, figures of speech, questions and
hypotheticals, other people in the past, long-past events, and per flag the ordinary causes
("out of breath after a run"). A sign that is only likely (`unsure`, or a `needs` context
missing) is asked back, never guessed either way.

`read_red_flags(knowledge, text)` is the one public reading: every flag the message
describes (`raised`) and the ones to ask back (`unsure`), both in knowledge order (the
contract's table order, most urgent first).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dialogs.knowledge import Knowledge
from dialogs.knowledge.red_flags import RedFlag, Sign
from dialogs.knowledge.sign_words import SignWords
from dialogs.numbers import Number, find_numbers
from dialogs.text import BOUNDARY, Hit, Lexicon, Reading
from dialogs.timewords import DAY, TimeReading

_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)\.(?=\d))+[.!?\n]*|[.!?\n]+")  # "38.5" is no end

# A short sign word mistyped by one letter: a neighbouring key or a letter that sounds alike
# ("fase", "nexk", "cjest"). Keyboard layout, not domain words.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_SOUNDS = ("cs", "ck", "sz", "iy", "ei", "ae", "ou", "dt", "bp", "fv", "gj", "kq", "mn")


def _slips() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r, row in enumerate(_ROWS):
        for i, key in enumerate(row):
            near = out.setdefault(key, set())
            near.update(row[max(i - 1, 0) : i + 2])
            for other in (r - 1, r + 1):
                if 0 <= other < len(_ROWS):
                    near.update(_ROWS[other][max(i - 1, 0) : i + 2])
    for a, b in _SOUNDS:
        out[a].add(b)
        out[b].add(a)
    return {key: frozenset(near - {key}) for key, near in out.items()}


SLIPS = _slips()
_VOWELS = frozenset("aeiou")
TYPO_LENGTHS = range(4, 9)  # words this long are repaired towards the sign words

# What a sign becomes after the guards, weakest first: HEDGED is asked back because of how
# it was said (a question, a worry, another person's "when?"), UNSURE because of what was said.
NOTHING, HEDGED, UNSURE, RAISED = 0, 1, 2, 3


@dataclass(frozen=True)
class FlagReading:
    raised: tuple[str, ...]  # every flag the message clearly describes, in knowledge order
    unsure: tuple[str, ...]  # flags it may describe: asked back one at a time, in knowledge order
    # flags whose signs were found but taken back by a guard (a figure of speech, a negation,
    # an ordinary cause, the past...): the rules looked and said no
    guarded: tuple[str, ...] = ()
    # unsure only because of how they were said (a question, a worry, another person: when?)
    hedged: tuple[str, ...] = ()
    # the message uses the vocabulary of warning signs at all (some `sign_words` concept)
    worded: bool = False


@dataclass(slots=True)
class _Sentence:
    reading: Reading
    question: bool
    opener: bool  # a question that starts like one ("is", "can", "what"), not only a "?"
    clauses: list[range] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)  # concept hits, overlapping ones too
    figures: list[Hit] = field(default_factory=list)  # figures of speech
    free: set[int] = field(default_factory=set)  # tokens of negators that deny nothing


@dataclass(frozen=True, slots=True)
class _Found:
    """A concept found: in sentence `s`, clause `c`."""

    s: int
    c: int
    hit: Hit


# --- reading ---------------------------------------------------------------------------


def read_red_flags(knowledge: Knowledge, text: str) -> FlagReading:
    """Every warning sign `text` describes (`raised`) and those it may describe
    (`unsure`), in knowledge order."""
    if not isinstance(text, str) or not text.strip():
        return FlagReading((), ())
    flags: dict[str, RedFlag] = knowledge.red_flags
    words: SignWords = knowledge.sign_words
    message = _Message(words, _sentences(knowledge, words, text))
    levels: dict[str, int] = {}
    for flag in flags.values():
        level = NOTHING
        for sign in flag.signs:
            level = max(level, message.level(flag, sign))
            if level == RAISED:
                break
        if level:
            levels[flag.id] = level
    raised = tuple(f for f in flags if levels.get(f) == RAISED)
    if len(raised) > 1:  # "numb between my legs" is bladder_bowel, not numbness as well
        words_of = {f: message.raisings(flags[f]) for f in raised}
        raised = tuple(
            f
            for f in raised
            if not any(
                all(any(mine < theirs for theirs in words_of[g]) for mine in words_of[f])
                for g in raised
                if g != f
            )
        )
    unsure = tuple(f for f in flags if levels.get(f) in (HEDGED, UNSURE))
    hedged = tuple(f for f in flags if levels.get(f) == HEDGED)
    guarded = tuple(f for f in flags if f in message.matched and f not in levels)
    return FlagReading(raised, unsure, guarded, hedged, worded=bool(message.found))


def _sentences(knowledge: Knowledge, words: SignWords, text: str) -> list[_Sentence]:
    language = knowledge.language
    guards = words.guards
    assert words.concepts is not None
    out: list[_Sentence] = []
    reader = knowledge.conversation.reader if words.lasting.words else None
    for part in _SENTENCE.findall(text[:2000]):
        reading = language.read(part)
        if not reading.tokens:
            continue
        _repair_slips(reading, words.vocabulary, language.lexicon)
        opens = any(h.start == 0 for h in guards.question_openers.find(reading))
        if opens and guards.statements:  # "can barely breathe" tells, it does not ask
            opens = not any(h.start == 0 for h in guards.statements.find(reading))
        question = "?" in part or opens
        sentence = _Sentence(reading, question, opens, _clauses(reading, words.clause_words))
        numbers = find_numbers(reading, words.numbers)
        sentence.hits = words.concepts.find(reading, longest=False)
        sentence.hits += _long_times(words, reading, numbers) + _fast_pulse(words, reading, numbers)
        if reader is not None and not words.lasting.words.isdisjoint(reading.tokens):
            sentence.hits += _clock_span(words, reading, reader.read(part))
        sentence.figures = guards.figurative.find(reading, longest=False)
        free = guards.not_negating.find(reading, longest=False)
        sentence.free = {i for h in free for i in range(h.start, h.end)}
        out.append(sentence)
    return out


def _repair_slips(reading: Reading, vocabulary: frozenset[str], lexicon: Lexicon) -> None:
    """An unknown word one slipped letter away from exactly one sign word is that word."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if len(token) not in TYPO_LENGTHS or not token.isalpha() or lexicon.real(token):
            continue
        found = {
            token[:k] + other + token[k + 1 :]
            for k, letter in enumerate(token)
            for other in SLIPS.get(letter, ())
            if letter not in _VOWELS or other not in _VOWELS  # "sink" is no slip of "sunk"
        } & vocabulary
        if len(found) > 1:  # "fase": face (sounds alike) before fade (a key away)
            found = {w for w in found if _sounds_alike(token, w)}
        if len(found) == 1:
            tokens[i] = found.pop()


def _sounds_alike(token: str, word: str) -> bool:
    return any(
        {a, b} in ({x, y} for x, y in _SOUNDS) for a, b in zip(token, word, strict=True) if a != b
    )


def _clauses(reading: Reading, splitters: frozenset[str]) -> list[range]:
    out: list[range] = []
    start = 0
    for i, token in enumerate(reading.tokens):
        if token == BOUNDARY or token in splitters:
            if i > start:
                out.append(range(start, i))
            start = i + 1
    if len(reading.tokens) > start:
        out.append(range(start, len(reading.tokens)))
    return out


def _long_times(words: SignWords, reading: Reading, numbers: list[Number]) -> list[Hit]:
    """ "20 minutes", "half an hour", "over 15 min": a time longer than `over` minutes."""
    if words.minutes is None:
        return []
    concept, over, units = words.minutes
    tokens = reading.tokens
    out: list[Hit] = []
    others = words.not_after.find(reading) if words.not_after else []
    for number in numbers:
        for k in range(number.end, min(number.end + 3, len(tokens))):
            unit = units.get(tokens[k])
            if unit is not None:
                after = k + 2 if k + 2 < len(tokens) and tokens[k + 1] in ("of", "a") else k + 1
                if any(h.start == after for h in others) or any(
                    h.end in (number.start, number.start - 1) for h in others
                ):
                    break  # "4 hours sleep", "10 hours of driving", "standing for 5 hours"
                if number.value * unit > over:
                    out.append(Hit(concept, number.start, k + 1, False, "time"))
                break
            if tokens[k] not in ("of", "an", "a"):
                break
    return out


def _clock_span(words: SignWords, reading: Reading, times: TimeReading) -> list[Hit]:
    """ "cramped at 3am and still rock hard at half 3": from one clock time to a later one,
    a `lasting` word between them, longer than `long_minutes.over`."""
    if words.minutes is None or len(times.mentions) < 2:
        return []
    lasting = words.lasting
    first, last = times.mentions[0], times.mentions[-1]
    between = set(times.text[first.end : last.start].split())
    if not between & lasting.words:
        return []
    span = (last.minutes - first.minutes) % DAY
    if not (first.sure and last.sure):
        span %= DAY // 2  # "at 11 ... still at 1": the same night
    if not words.minutes[1] < span <= lasting.within:
        return []
    at = next((i for i, t in enumerate(reading.tokens) if t in lasting.words), 0)
    return [Hit(words.minutes[0], at, at + 1, False, "time")]


def _fast_pulse(words: SignWords, reading: Reading, numbers: list[Number]) -> list[Hit]:
    """ "pulse is 150", "140 bpm": a heart rate over `fast_pulse.over`."""
    pulse = words.pulse
    if pulse is None:
        return []
    before = pulse.before.find(reading)
    after = pulse.after.find(reading)
    out: list[Hit] = []
    for number in numbers:
        if number.value <= pulse.over:
            continue
        near = any(number.start - pulse.reach <= h.end <= number.start for h in before)
        if near or any(h.start == number.end for h in after):
            out.append(Hit(pulse.concept, number.start, number.end, False, "pulse"))
    return out


def _part(reading: Reading, span: range) -> Reading:
    return Reading(
        reading.tokens[span.start : span.stop],
        reading.negated[span.start : span.stop],
        reading.negation,
    )


class _Message:
    """One message, read once: its sentences, concepts and who and when each clause is about."""

    def __init__(self, words: SignWords, sentences: list[_Sentence]) -> None:
        self.words = words
        self.sentences = sentences
        self.matched: set[str] = set()  # flags with a sign found, whatever the guards said
        self.found: list[_Found] = []
        for s, sentence in enumerate(sentences):
            for hit in sentence.hits:  # in its clause ("and now my..." in the one it opens)
                for c, clause in enumerate(sentence.clauses):
                    if hit.start in clause or hit.start < clause.start:
                        self.found.append(_Found(s, c, hit))
                        break
        self.present = {f.hit.value for f in self.found}
        self.affirmed = {f.hit.value for f in self.found if not f.hit.negated}  # "no aches": absent
        self.by_concept: dict[str, list[_Found]] = {}
        # the concepts of each clause of each sentence
        self.names: list[list[set[str]]] = [[set() for _ in s.clauses] for s in sentences]
        self.causes: list[set[str]] = [set() for _ in sentences]  # ... that may be a cause
        similes = words.guards.similes
        likeness = [similes.find(s.reading) if similes else [] for s in sentences]
        for f in self.found:
            self.by_concept.setdefault(f.hit.value, []).append(f)
            if not _covered(f.hit, sentences[f.s].hits):
                self.names[f.s][f.c].add(f.hit.value)  # "cola" in "cola coloured" is no drink
                if not f.hit.negated and not self._likened(f.hit, likeness[f.s]):
                    # "even when i havent been lying on it", "like after a ride": no cause
                    self.causes[f.s].add(f.hit.value)
        # A clause goes on from the one before: "my calf, it's swollen" (a pronoun), "my hand
        # is clumsy and weak" (a few words with no person of their own), "my jaw is clenched
        # and hard to open since..." (it starts with a sign word: no subject of its own).
        self.linked = [
            [
                c > 0
                and (
                    self._short(sentence, clause)
                    or self._refers(sentence, clause)
                    or self._headless(sentence, clause)
                )
                for c, clause in enumerate(sentence.clauses)
            ]
            for sentence in sentences
        ]
        self.subjects = [
            [self._subject(sentence, c) for c in range(len(sentence.clauses))]
            for sentence in sentences
        ]
        persons = words.guards.persons
        self.unnamed = bool(persons) and all(
            all(t in persons for t in s.reading.tokens[h.start : h.end])
            for s in sentences
            for h in words.guards.other_people.find(s.reading)
        )  # the only other people are "he" and "she" (or nobody)
        self.about_self = any(
            self._complains(sentence, c)
            for s, sentence in enumerate(sentences)
            for c in range(len(sentence.clauses))
            if self.subjects[s][c] == "self"
        )
        # "i'm the one with the twitch": the user says the question is their own
        for_self = words.guards.for_self
        self.for_self = for_self is not None and any(for_self.find(s.reading) for s in sentences)

    def _likened(self, hit: Hit, similes: list[Hit]) -> bool:
        """A comparison (one of the sentence's `similes`) opens right before the hit ("like
        after a long ride")."""
        reach = self.words.simile_reach
        return any(hit.start - reach <= h.end <= hit.start for h in similes)

    def _short(self, sentence: _Sentence, clause: range) -> bool:
        if len(clause) > self.words.short_clause:
            return False
        guards = self.words.guards
        tokens = sentence.reading.tokens[clause.start : clause.stop]
        others = guards.other_people.find(_part(sentence.reading, clause))
        return not others and not any(t in guards.first_person for t in tokens)

    def _headless(self, sentence: _Sentence, clause: range) -> bool:
        """It starts with a sign word and names no person in its first words."""
        if not any(h.start == clause.start for h in sentence.hits):
            return False
        guards = self.words.guards
        head = range(clause.start, min(clause.stop, clause.start + self.words.short_clause))
        tokens = sentence.reading.tokens[head.start : head.stop]
        others = guards.other_people.find(_part(sentence.reading, head))
        return not others and not any(t in guards.first_person for t in tokens)

    def _refers(self, sentence: _Sentence, clause: range) -> bool:
        tokens = sentence.reading.tokens[clause.start : clause.stop]
        return any(t in self.words.guards.pronouns for t in tokens)

    # --- combinations ---------------------------------------------------------------
    def _combinations(self, sign: Sign) -> Iterator[list[_Found]]:
        """Every way the message names all of `sign`'s concepts: from each place its first
        concept is found, the nearest of each other one (within the sign's scope)."""
        first, *rest = sign.concepts
        for anchor in self.by_concept.get(first, ()):
            chosen = [anchor]
            for name in rest:
                near = self._nearest(anchor, name, sign.scope, chosen)
                if near is None:
                    break
                chosen.append(near)
            else:
                yield chosen

    def level(self, flag: RedFlag, sign: Sign) -> int:
        best = NOTHING
        for chosen in self._combinations(sign):
            self.matched.add(flag.id)
            best = max(best, self._guarded(flag, sign, chosen))
            if best == RAISED:
                return best
        return best

    def raisings(self, flag: RedFlag) -> list[frozenset[tuple[int, int]]]:
        """The words (sentence, token) of every combination that raises `flag`."""
        return [
            frozenset((f.s, i) for f in chosen for i in range(f.hit.start, f.hit.end))
            for sign in flag.signs
            for chosen in self._combinations(sign)
            if self._guarded(flag, sign, chosen) == RAISED
        ]

    def _nearest(self, anchor: _Found, name: str, scope: str, taken: list[_Found]) -> _Found | None:
        out: _Found | None = None
        key = (0, 0)
        for f in self.by_concept.get(name, ()):
            if any(_clash(f, t) for t in taken):
                continue
            if scope == "clause" and not self._together(anchor, f):
                continue
            if scope == "sentence" and f.s != anchor.s:
                continue
            distance = (abs(f.s - anchor.s), abs(f.hit.start - anchor.hit.start))
            if out is None or distance < key:
                out, key = f, distance
        return out

    def _together(self, a: _Found, b: _Found) -> bool:
        """In one clause, or in two next to each other where the second refers back."""
        if a.s != b.s:
            return False
        first, second = sorted((a.c, b.c))
        return first == second or (second == first + 1 and self.linked[a.s][second])

    # --- guards ---------------------------------------------------------------------
    def _guarded(self, flag: RedFlag, sign: Sign, chosen: list[_Found]) -> int:
        words = self.words
        guards = words.guards
        for f in chosen:
            sentence = self.sentences[f.s]
            if any(_inside(f.hit, fig) and not _holds(f.hit, fig) for fig in sentence.figures):
                return NOTHING  # a figure; not one inside a longer sign ("head is killing me")
            mine = [g.hit for g in chosen if g.s == f.s]
            if self._negated(sentence, f.hit, mine) or self._denied(f.s, f.c, f.hit.end):
                return NOTHING
        anchor = chosen[0]
        sentence = self.sentences[anchor.s]
        clause = sentence.clauses[anchor.c]
        part = _part(sentence.reading, clause)
        first = min(f.hit.start for f in chosen if (f.s, f.c) == (anchor.s, anchor.c))
        first -= clause.start
        # "is it just dehydration if my pee is tea coloured?": the "if" tells the user's
        # own sign (asked back), it does not suppose one
        conditions = (
            guards.conditions.find(sentence.reading)
            if sentence.question and guards.conditions is not None
            else []
        )
        spans = [(c.start, c.end) for c in conditions]

        def supposes(start: int, end: int) -> bool:
            return not any(a < end and start < b for a, b in spans)

        if any(
            h.start <= first and supposes(h.start + clause.start, h.end + clause.start)
            for h in self._supposing(part)
        ):
            return NOTHING
        if sentence.question and any(
            h.start == 0 and supposes(h.start, h.end) for h in self._supposing(sentence.reading)
        ):
            return NOTHING  # "what if it reaches my chest and i can't breathe?": all of it
        subject = self.subjects[anchor.s][anchor.c]
        if subject != "other" and any(self.subjects[f.s][f.c] == "other" for f in chosen):
            subject = "other"  # "dad lost muscle in his legs, so this calf twitch scares me"
        time = self._time(anchor.s, anchor.c, flag.before, first + clause.start)
        if subject == "thing":
            return NOTHING
        level = UNSURE if sign.unsure else RAISED
        if time == "long_ago":
            return NOTHING
        if (
            flag.before
            and guards.predates
            and any(guards.predates.find(other.reading) for other in self.sentences[anchor.s :])
        ):
            return NOTHING  # "banged my head, but the twitch was there weeks before that"
        nxt = self.sentences[anchor.s + 1] if anchor.s + 1 < len(self.sentences) else None
        if (not flag.over_counts or subject == "other") and (
            any(h.start > first + clause.start for h in self._resolved(sentence.reading))
            or (nxt is not None and not nxt.question and self._resolved(nxt.reading))
        ):
            return (
                NOTHING  # "my legs were weak after the flu but fine now"; a fit over still counts
            )
        if subject == "other" and guards.diagnosed and guards.diagnosed.find(sentence.reading):
            return NOTHING  # "mum can't swallow well since her parkinson's": their known illness
        if subject == "other":
            if self.for_self:
                return NOTHING  # "my husband keeps dropping things ... i'm the one with the twitch"
            before = [earlier.reading for earlier in reversed(self.sentences[: anchor.s])]
            cared = self._cared([part, sentence.reading, *before])
            if sign.named and time != "recent":
                return NOTHING  # "my uncle has seizures"
            if self.about_self and not (cared and self._current(part)):
                return NOTHING  # the user asks for themselves, not for a child or partner now
            if (
                time != "recent"
                and self._dated(anchor.s, anchor.c, part)
                and not (flag.before and cared)
            ):
                return NOTHING  # "the guy at work passed out last month", "... fainted once"
            if guards.past.find(part):
                if not cared:
                    return NOTHING  # "my grandpa's hands shook", "the lady on the bus passed out"
                if time != "recent":
                    level = HEDGED  # "my son had a convulsion": when? asked back
            elif (
                not cared
                and not self._current(part)
                and any(h.start < first for h in guards.other_people.find(part))
            ):
                return NOTHING  # "a lad in my son's class choked on a grape": their story
        generic = bool(guards.generic.find(part))
        if guards.media:
            # "i watched a documentary about X and Y": what follows, with no person, is talk
            at = first + clause.start
            tokens = sentence.reading.tokens
            if any(
                h.end <= at and not any(t in guards.first_person for t in tokens[h.end : at])
                for h in guards.media.find(sentence.reading)
            ):
                return HEDGED if flag.rhetorical else NOTHING
        if sentence.question or generic:
            if subject is None:  # about signs in general; a bare "tingling?" is asked back
                bare = sentence.question and not generic and not sentence.opener
                # a crisis said as a question may still be meant: asked back, never dropped
                if bare or flag.rhetorical or (sentence.question and self._owned_after(anchor.s)):
                    return HEDGED  # "is it normal to black out? happened twice": asked back
                return NOTHING
            if sign.named:  # "am i having a stroke?" asked back; "is it X if only...?" a question
                ifs = [h for h in self._supposing(part) if h.start > first]
                return NOTHING if sentence.question and ifs else HEDGED
        if sign.named and guards.worry.find(part):
            return NOTHING if subject == "other" else HEDGED
        names = self._near(anchor.s, anchor.c)
        causes = self.causes[anchor.s]
        if not (set(flag.unless) & names):
            if (set(flag.ordinary) | set(sign.ordinary)) & causes:
                return NOTHING
            if set(flag.doubt) & causes:
                level = min(level, UNSURE)
        for needs in (flag.needs, sign.needs):
            if needs and not (set(needs) & self.affirmed):
                level = min(level, UNSURE)
        return min(level, HEDGED) if spans else level

    def _negated(self, sentence: _Sentence, hit: Hit, sign: list[Hit]) -> bool:
        """A negator before `hit` within the window (the same clause), not itself part of
        the sign ("cant breathe") nor of a `not_negating` phrase ("cant stop"); or a
        post-negator right after the sign ("breathing is fine")."""
        words = self.words
        tokens = sentence.reading.tokens
        covered = {i for h in sign for i in range(h.start, h.end)}
        count = 0
        for i in range(hit.start - 1, -1, -1):
            token = tokens[i]
            if token == BOUNDARY:
                if not sentence.reading.negated[hit.start]:
                    break  # a denied list runs on past a comma: "no numbness, tingling or..."
                count = 0
                continue
            if i in covered:
                continue
            count += 1
            if token in words.negators and i not in sentence.free:
                return True
            if token in words.lists:  # "no fever or rash", "not had any chest pain or
                count = -words.window  # palpitations": the list goes on in the negator's reach
            if count >= words.window:
                break
        if sentence.question:
            return False  # "is a racing heart at rest normal?" asks; it denies nothing
        end = max(h.end for h in sign)
        for i in range(end, min(end + 3, len(tokens))):
            if tokens[i] == BOUNDARY:
                break
            if tokens[i] in words.post_negators and i not in sentence.free:
                return True  # "breathing is fine"; not "cant breathe good"
        return False

    def _denied(self, s: int, c: int, end: int) -> bool:
        """Answered by a clause (or sentence) that only denies: "tingling? nope", "pins and
        needles? no, never" (the clause after the sign's words, else the next sentence)."""
        sentence = self.sentences[s]
        later = [k for k in range(c + 1, len(sentence.clauses)) if sentence.clauses[k].start >= end]
        if later and self._only_denial(sentence, sentence.clauses[later[0]]):
            return True
        if later and not sentence.question:
            return False
        if s + 1 < len(self.sentences):  # "numbness and tingling? nope", "...? no, never had it"
            following = self.sentences[s + 1]
            return self._only_denial(following, following.clauses[0])
        return False

    def _only_denial(self, sentence: _Sentence, clause: range) -> bool:
        part = _part(sentence.reading, clause)
        hits = self.words.guards.denials.find(part)
        covered = sum(h.end - h.start for h in hits)
        return bool(hits) and hits[0].start == 0 and covered == len(part.tokens)

    def _subject(self, sentence: _Sentence, c: int) -> str | None:
        """Who the clause is about: "self", "other", "thing" (it starts with one: "my laptop
        had a fit"), or None when it names nobody (then the clause before it decides)."""
        guards = self.words.guards
        for k in range(c, -1, -1):
            part = _part(sentence.reading, sentence.clauses[k])
            events = guards.not_things.find(part) if guards.not_things else []
            if any(
                h.start <= 1 and not any(_inside(h, e) for e in events)
                for h in guards.things.find(part)
            ):
                return "thing"
            anyone = guards.anyone.find(part)
            free = {i for h in anyone for i in range(h.start, h.end)}
            others = [
                h
                for h in guards.other_people.find(part)
                if not free.issuperset(range(h.start, h.end))
            ]
            asking = guards.asking.find(part)
            covered = {i for h in others + asking + anyone for i in range(h.start, h.end)}
            mine = [
                i
                for i, t in enumerate(part.tokens)
                if t in guards.first_person and i not in covered
            ]
            if others and (not mine or others[0].start < mine[0]):
                if mine and self._witnessed(part, others[0].end, mine[0]):
                    return "self"  # "my wife has noticed i keep choking": my sign, her eyes
                return "other"  # "a girl in my class had a fit": the first one named
            if mine:
                return "self"
        return None

    def _resolved(self, reading: Reading) -> list[Hit]:
        """ "but fine now", not "she was fine at lunch" (when it began, not that it ended)."""
        guards = self.words.guards
        onsets = guards.onsets.find(reading) if guards.onsets else []
        return [
            h
            for h in guards.resolved.find(reading)
            if not reading.negated[h.start] and not any(_inside(h, o) for o in onsets)
        ]  # "it hasn't gone in a week" is not over

    def _cared(self, readings: list[Reading]) -> bool:
        """Of `readings` (the sign's clause, its sentence, then the sentences before it,
        nearest first), the first that names someone the user cares for ("my son") or someone
        of theirs ("my son's teacher") tells which it is; none of either: no one cared for."""
        guards = self.words.guards
        if guards.dependants is None or self.unnamed:
            return True  # "he's had a fever all day": no one named, so the one typed for
        opening = guards.their_people.find(readings[0]) if guards.their_people else []
        if any(h.start == 0 for h in opening):
            return False  # "(and) her friend fainted at church": about the friend
        for reading in readings:
            chains = guards.not_dependants.find(reading) if guards.not_dependants else []
            if any(not any(_inside(h, c) for c in chains) for h in guards.dependants.find(reading)):
                return True
            if chains:
                return False  # "my daughter's friend passed out ..."
        return False

    def _supposing(self, reading: Reading) -> list[Hit]:
        """The hypotheticals of `reading` ("what if", "in case"), not an aside's "if" ("if
        i'm honest some days i think about hurting myself")."""
        guards = self.words.guards
        asides = guards.asides.find(reading) if guards.asides else []
        return [
            h for h in guards.hypothetical.find(reading) if not any(_inside(h, a) for a in asides)
        ]

    def _around(self, s: int, c: int) -> list[int]:
        """Clause `c` of sentence `s` and a clause next to it that goes on from it ("i get
        breathless, even at rest"); not one about something else ("breathing hard after a
        class, ..., then my thighs twitched in the shower")."""
        linked = self.linked[s]
        around = [c]
        if c + 1 < len(linked) and linked[c + 1]:
            around.append(c + 1)
        if linked[c] and c > 0:
            around.append(c - 1)
        return around

    def _near(self, s: int, c: int) -> set[str]:
        """The concepts named in the clauses `_around` clause `c` of sentence `s`."""
        return set().union(*(self.names[s][k] for k in self._around(s, c)))

    def _dated(self, s: int, c: int, part: Reading) -> bool:
        """Clause `c` of sentence `s` is some weeks back: said there or next to it ("the guy at
        work passed out last month"), or in another clause when it is told in the past too;
        not "wife started a statin last month, her wee has gone the colour of tea"."""
        guards = self.words.guards
        sentence = self.sentences[s]
        hits = guards.weeks_ago.find(sentence.reading)
        if not hits:
            return False
        near = [sentence.clauses[k] for k in self._around(s, c)]
        if any(h.start in clause for h in hits for clause in near):
            return True
        return bool(guards.past.find(part))

    def _current(self, part: Reading) -> bool:
        """The clause tells a sign going on now ("she's feverish", "he keeps choking")."""
        current = self.words.guards.current
        return current is not None and bool(current.find(part))

    def _owned_after(self, s: int) -> bool:
        """A statement after question `s` tells the user's own experience ("mine just did",
        "it started this morning", "happened twice this week")."""
        guards = self.words.guards
        for k in range(s + 1, len(self.sentences)):
            later = self.sentences[k]
            if later.question or "other" in self.subjects[k]:
                continue  # "...? my friend had it an hour ago": not the user's
            if guards.resolved.find(later.reading):
                continue  # "mine are fine", "not me though"
            if guards.owned is not None and guards.owned.find(later.reading):
                return True
        return False

    def _witnessed(self, part: Reading, start: int, end: int) -> bool:
        """A witnessing verb ("noticed", "says") between another person and the user."""
        witnesses = self.words.guards.witnesses
        if witnesses is None:
            return False
        return any(start <= h.start and h.end <= end for h in witnesses.find(part))

    def _complains(self, sentence: _Sentence, c: int) -> bool:
        """The clause tells the user's own complaint ("i just have a jumpy eyelid")."""
        part = _part(sentence.reading, sentence.clauses[c])
        return bool(self.words.guards.complaint.find(part))

    def _time(self, s: int, c: int, before: bool, at: int | None = None) -> str | None:
        """ "recent", "long_ago" or None: from the clause, else from the sentence (for a
        flag about what came `before`, only the distant past is long ago). A comparison
        with the past after the sign's first word `at` ("... i used to rep easy") is no
        time of the sign."""
        guards = self.words.guards
        sentence = self.sentences[s]
        clause = sentence.clauses[c]
        old = guards.long_ago.find(sentence.reading, longest=False)
        if at is not None and guards.comparisons is not None:
            compared = [h for h in guards.comparisons.find(sentence.reading) if h.start > at]
            old = [h for h in old if not any(_inside(h, x) for x in compared)]
        if not before:
            old += guards.earlier.find(sentence.reading)
        # "a long time ago now": a "now" inside a long-ago phrase is no present
        recent = [
            h
            for h in guards.recent.find(sentence.reading)
            if not any(o.start <= h.start and h.end <= o.end for o in old)
        ]
        if any(h.start in clause for h in recent):
            return "recent"
        if any(h.start in clause for h in old):
            return "long_ago"
        # else the nearest one before the clause ("years ago i ... and hurt myself"), then after
        earlier = [(h.end, "recent") for h in recent if h.end <= clause.start]
        earlier += [(h.end, "long_ago") for h in old if h.end <= clause.start]
        if earlier:
            return max(earlier)[1]
        # after it, only in the next clause ("had a fit once, years ago"; not "... i used to run")
        stop = sentence.clauses[c + 1].stop if c + 1 < len(sentence.clauses) else clause.stop
        after = [(h.start, "recent") for h in recent if h.start < stop]
        after += [(h.start, "long_ago") for h in old if h.start < stop]
        return min(after)[1] if after else None


def _clash(a: _Found, b: _Found) -> bool:
    """The same words read twice (a gap inside a phrase may hold another concept)."""
    return a.s == b.s and (a.hit.start == b.hit.start or a.hit.end == b.hit.end)


def _covered(hit: Hit, hits: list[Hit]) -> bool:
    """Part of a longer phrase of another concept ("cola" in "cola coloured")."""
    return any(
        h.value != hit.value
        and h.start <= hit.start
        and hit.end <= h.end
        and h.end - h.start > hit.end - hit.start
        for h in hits
    )


def _holds(hit: Hit, figure: Hit) -> bool:
    """`hit` is a longer phrase with `figure` inside it."""
    return (
        hit.start <= figure.start
        and figure.end <= hit.end
        and hit.end - hit.start > figure.end - figure.start
    )


def _inside(hit: Hit, figure: Hit) -> bool:
    return hit.start < figure.end and figure.start < hit.end

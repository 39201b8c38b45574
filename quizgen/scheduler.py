"""Spaced repetition per skill with FSRS (the `fsrs` package), and the choice of what to practise.

A skill is a bank question id or a generator id. Reviewing a generator skill
shows a fresh variant, so what is scheduled is the method, not a number.

The rating comes from the answer: wrong -> Again; right but slow -> Hard; right
-> Good; right and fast -> Easy. "Slow" and "fast" are measured against an
expected time that grows with the question type and difficulty; a hint caps the
rating at Hard, and a choice or true/false answer at Good (a fast lucky guess is
not Easy). `rating_reason` says which of these applied, in words; the student may
change the rating in the drill, as in Anki. `fsrs` is imported only when a review is recorded, after the
first question is on screen, to keep start-up quick.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, assert_never

from .bank import Skill, interleave
from .models import QuestionType
from .store import SkillState

if TYPE_CHECKING:
    import fsrs

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

_DIFFICULTY_FACTOR = {1: 0.75, 2: 1.0, 3: 1.5}


def _type_seconds(question_type: QuestionType) -> float:
    """How long a student of the chapter takes over a question of this type at difficulty 2."""
    match question_type:
        case "choice":
            return 12.0
        case "multi":
            return 20.0
        case "true_false":
            return 8.0
        case "integer":
            return 20.0
        case "numeric":
            return 40.0
        case "text":
            return 20.0
        case _:
            assert_never(question_type)


def expected_seconds(question_type: QuestionType, difficulty: int) -> float:
    """The time a question of this type and difficulty (1-3) is expected to take."""
    return _type_seconds(question_type) * _DIFFICULTY_FACTOR.get(difficulty, 1.0)


def rating_for(
    correct: bool, seconds: float, question_type: QuestionType, difficulty: int, hint_used: bool = False
) -> int:
    """The FSRS rating (1-4) an answer earns."""
    if not correct:
        return AGAIN
    expected = expected_seconds(question_type, difficulty)
    if seconds > 2 * expected:
        rating = HARD
    elif seconds < 0.4 * expected:
        rating = EASY
    else:
        rating = GOOD
    if question_type in GUESSABLE:
        rating = min(rating, GOOD)
    return min(rating, HARD) if hint_used else rating


GUESSABLE: frozenset[QuestionType] = frozenset({"choice", "true_false"})
"""Types whose right answer may be a guess: a correct answer rates Good at most."""


def rating_reason(
    correct: bool, seconds: float, question_type: QuestionType, difficulty: int, hint_used: bool = False
) -> str:
    """Why ``rating_for`` gave its rating, for the student: 'correct in 14 s, about 12 s expected'."""
    if not correct:
        return "not correct"
    expected = expected_seconds(question_type, difficulty)
    taken = f"correct in {_seconds(seconds)}"
    if hint_used:
        return f"{taken} with a hint, so Hard at most"
    if seconds > 2 * expected:
        return f"{taken}, over twice the {_seconds(expected)} expected"
    if seconds < 0.4 * expected:
        if question_type in GUESSABLE:
            return f"{taken}; a guess can be right here, so Good at most"
        return f"{taken}, under 40% of the {_seconds(expected)} expected"
    return f"{taken}, about {_seconds(expected)} expected"


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 1 else "under 1 s"


class Scheduler:
    """FSRS with quizgen's defaults; `fuzz=False` makes intervals exact (for --seed and tests).

    Fuzz moves an interval of 3 days or more (by up to a day at 3 days, 2 at 10, about 5% of a long
    one), so skills learnt together do not fall due together. FSRS's own fuzz draws from the global
    `random` and cannot be replayed, so quizgen turns it off and fuzzes here, with FSRS's ranges, by a
    draw seeded from the review (the skill and the time): the same review history gives the same schedule
    (a re-rated answer, a bug report), while skills and times draw differently.
    """

    def __init__(self, fuzz: bool = True, desired_retention: float = 0.9) -> None:
        self.fuzz = fuzz
        self.desired_retention = desired_retention
        self._scheduler: fsrs.Scheduler | None = None

    def _fsrs(self) -> fsrs.Scheduler:
        if self._scheduler is None:
            import fsrs

            self._scheduler = fsrs.Scheduler(desired_retention=self.desired_retention, enable_fuzzing=False)
        return self._scheduler

    def review(
        self, card: dict[str, Any] | None, rating: int, when: datetime, seconds: float, skill: str = ""
    ) -> tuple[dict[str, Any], datetime]:
        """The skill's card after this review, and when it is due next (`skill`, its id, seeds the fuzz)."""
        import fsrs

        current = card_from(card, when) if card else fsrs.Card(card_id=1, due=when)
        updated, _ = self._fsrs().review_card(
            current, fsrs.Rating(rating), review_datetime=when, review_duration=int(seconds * 1000)
        )
        days = (updated.due - when).days  # a whole number in review; learning steps are minutes
        if self.fuzz and days >= 3:
            draw = random.Random(repr((skill, when.isoformat())))
            updated.due = when + timedelta(days=_fuzzed_days(days, draw, self._fsrs().maximum_interval))
        return dict(updated.to_dict()), updated.due

    def retrievability(self, card: dict[str, Any], when: datetime) -> float:
        """The probability (0-1) of recalling the skill now: FSRS's mastery estimate."""
        return float(self._fsrs().get_card_retrievability(card_from(card, when), when))


def _fuzzed_days(days: int, draw: random.Random, maximum: int) -> int:
    """An interval of `days` (3 or more) moved within FSRS's fuzz range, at most `maximum`.

    The range is FSRS's (``fsrs.scheduler.FUZZ_RANGES``: 1 day, plus 15% of the part from 2.5 to 7 days,
    10% of 7 to 20, 5% beyond), each whole day in it equally likely (FSRS's rounding also made the day
    past the top possible).
    """
    from fsrs.scheduler import FUZZ_RANGES

    spread = 1.0 + sum(
        part["factor"] * max(min(days, part["end"]) - part["start"], 0.0) for part in FUZZ_RANGES
    )
    return draw.randint(round(days - spread), min(round(days + spread), maximum))


def card_from(card: dict[str, Any], when: datetime) -> fsrs.Card:
    """FSRS's card from its stored form (whose fields the store has checked: store._check_card).

    A field missing from a hand-edited row takes a new card's value instead of raising KeyError, and
    a memory with only one of stability and difficulty starts afresh: FSRS needs both or neither.
    """
    import fsrs

    fields: dict[str, Any] = {
        "card_id": 1,
        "state": int(fsrs.State.Learning),
        "step": 0,
        "stability": None,
        "difficulty": None,
        "due": when.isoformat(),
        "last_review": None,
        **card,
    }
    if not fields["stability"] or not fields["difficulty"]:  # FSRS reads 0 as unset, too
        fields.update(state=int(fsrs.State.Learning), step=0, stability=None, difficulty=None)
    return fsrs.Card.from_dict(fields)  # type: ignore[arg-type]


def plan(
    skills: Sequence[Skill],
    states: dict[str, SkillState],
    count: int,
    when: datetime,
    rng: random.Random,
) -> list[Skill]:
    """What to practise: due skills first (most overdue first), then new ones, topics interleaved.

    When neither fills the session, the least recently reviewed skills follow.
    """
    due = sorted(
        (s for s in skills if s.id in states and states[s.id].due <= when), key=lambda s: states[s.id].due
    )
    new = [s for s in skills if s.id not in states]
    rng.shuffle(new)
    later = sorted(
        (s for s in skills if s.id in states and states[s.id].due > when), key=lambda s: states[s.id].due
    )
    chosen: list[Skill] = []
    for group in (due, new, later):
        chosen.extend(interleave(group)[: count - len(chosen)])
        if len(chosen) >= count:
            break
    return chosen

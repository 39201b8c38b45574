"""Scheduling: ratings from answers, FSRS intervals on a fake clock, and what a session practises."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import get_args

import fsrs
import pytest

from quizgen.bank import Skill
from quizgen.models import QuestionType
from quizgen.scheduler import (
    RATING_NAMES,
    Scheduler,
    card_from,
    expected_seconds,
    plan,
    rating_for,
    rating_reason,
)
from quizgen.store import SkillState

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# FSRS's ratings, written out (not the module's constants): Again 1, Hard 2, Good 3, Easy 4
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@pytest.mark.parametrize(
    ("correct", "seconds", "hint", "expected"),
    [
        (False, 3.0, False, AGAIN),
        (True, 3.0, False, GOOD),  # fast (under 40% of the 12 s expected), but a choice may be a guess
        (True, 10.0, False, GOOD),
        (True, 30.0, False, HARD),  # over twice the expected time
        (True, 3.0, True, HARD),  # a hint caps the rating
    ],
)
def test_rating_from_correctness_and_time(correct: bool, seconds: float, hint: bool, expected: int) -> None:
    assert rating_for(correct, seconds, "choice", 2, hint_used=hint) == expected


def test_harder_questions_allow_more_time() -> None:
    assert rating_for(True, 50.0, "numeric", 3) == GOOD
    assert rating_for(True, 50.0, "true_false", 1) == HARD


@pytest.mark.parametrize(
    ("question_type", "seconds"),
    [
        ("choice", 12.0),
        ("multi", 20.0),
        ("true_false", 8.0),
        ("integer", 20.0),
        ("numeric", 40.0),
        ("text", 20.0),
    ],
)
def test_expected_seconds_per_type_and_difficulty(question_type: QuestionType, seconds: float) -> None:
    assert expected_seconds(question_type, 2) == seconds
    assert expected_seconds(question_type, 1) == seconds * 0.75
    assert expected_seconds(question_type, 3) == seconds * 1.5
    assert expected_seconds(question_type, 4) == seconds  # a difficulty outside 1-3 counts as 2


def test_every_question_type_has_an_expected_time() -> None:
    assert {kind: expected_seconds(kind, 2) for kind in get_args(QuestionType)} == {
        "choice": 12.0,
        "multi": 20.0,
        "true_false": 8.0,
        "integer": 20.0,
        "numeric": 40.0,
        "text": 20.0,
    }


def test_an_unknown_type_has_no_expected_time() -> None:
    with pytest.raises(AssertionError):  # it used to be taken for 20 s
        expected_seconds("essay", 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(7.99, EASY), (8.01, GOOD), (40.0, GOOD), (40.01, HARD)],
)
def test_rating_bounds_are_40_percent_and_twice_the_expected_time(seconds: float, expected: int) -> None:
    # an integer at difficulty 2 expects 20 s: under 8 s is Easy, over 40 s Hard
    assert rating_for(True, seconds, "integer", 2) == expected
    assert rating_for(True, seconds, "integer", 2, hint_used=True) == min(expected, HARD)
    assert rating_for(False, seconds, "integer", 2) == AGAIN


@pytest.mark.parametrize("question_type", ["choice", "true_false"])
def test_a_fast_right_guess_on_a_choice_or_true_false_is_good_not_easy(question_type: QuestionType) -> None:
    assert rating_for(True, 0.5, question_type, 1) == GOOD
    assert rating_for(True, 0.5, "multi", 1) == EASY  # select-all is not guessed in a second
    assert (
        rating_reason(True, 0.5, question_type, 1)
        == "correct in under 1 s; a guess can be right here, so Good at most"
    )


def test_the_reason_names_the_time_and_the_rule() -> None:
    assert rating_reason(True, 14.2, "integer", 2) == "correct in 14 s, about 20 s expected"
    assert rating_reason(True, 50.0, "integer", 2) == "correct in 50 s, over twice the 20 s expected"
    assert rating_reason(True, 3.0, "integer", 2) == "correct in 3 s, under 40% of the 20 s expected"
    assert (
        rating_reason(True, 3.0, "integer", 2, hint_used=True)
        == "correct in 3 s with a hint, so Hard at most"
    )
    assert rating_reason(False, 3.0, "integer", 2) == "not correct"


def test_intervals_grow_with_good_answers_and_shrink_after_a_lapse() -> None:
    scheduler = Scheduler(fuzz=False)
    card, due = scheduler.review(None, GOOD, T0, 8.0)
    intervals = []
    when = T0
    for _ in range(4):
        when = due
        card, due = scheduler.review(card, GOOD, when, 8.0)
        intervals.append(due - when)
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=5)
    lapse_card, lapse_due = scheduler.review(card, AGAIN, due, 8.0)
    assert lapse_due - due < timedelta(hours=1)
    assert scheduler.retrievability(card, due) == pytest.approx(0.9, abs=0.05)
    later = [scheduler.retrievability(card, due + timedelta(days=d)) for d in (30, 365, 3650)]
    assert later == sorted(later, reverse=True) and later[-1] < 0.7  # memory fades
    assert lapse_card["state"] != card["state"] or lapse_card["stability"] < card["stability"]


def test_again_brings_a_new_skill_back_within_minutes_and_easy_pushes_it_out() -> None:
    scheduler = Scheduler(fuzz=False)
    _, again_due = scheduler.review(None, AGAIN, T0, 5.0)
    _, easy_due = scheduler.review(None, EASY, T0, 5.0)
    assert again_due - T0 <= timedelta(minutes=10)
    assert easy_due - T0 >= timedelta(days=1)


def state(skill: str, topic: str, due: datetime) -> SkillState:
    return SkillState(skill, topic, {}, due, T0 - timedelta(days=2))


def test_plan_due_first_then_new_with_topics_interleaved() -> None:
    skills = [Skill(f"{t}-{n}", t, "question") for t in ("he", "xavier", "vanishing") for n in range(3)]
    states = {
        "xavier-2": state("xavier-2", "xavier", T0 - timedelta(days=3)),
        "he-1": state("he-1", "he", T0 - timedelta(hours=1)),
        "he-0": state("he-0", "he", T0 + timedelta(days=4)),  # not due yet
    }
    chosen = plan(skills, states, 6, T0, random.Random(1))
    ids = [s.id for s in chosen]
    assert len(ids) == 6 and len(set(ids)) == 6  # exactly the 6 asked for, none twice
    assert ids[:2] == ["xavier-2", "he-1"]  # due, most overdue first
    new = chosen[2:]
    assert all(s.id not in states for s in new)
    assert len({s.topic for s in new[:3]}) == 3  # interleaved: three topics before any repeats
    assert "he-0" not in ids


def test_plan_falls_back_to_the_soonest_due_when_everything_is_practised() -> None:
    skills = [Skill("a", "he", "question"), Skill("b", "he", "question")]
    states = {"a": state("a", "he", T0 + timedelta(days=9)), "b": state("b", "he", T0 + timedelta(days=1))}
    assert [s.id for s in plan(skills, states, 5, T0, random.Random(0))] == ["b", "a"]


def test_plan_is_reproducible_with_a_seed() -> None:
    skills = [Skill(f"s{n}", f"t{n % 4}", "question") for n in range(40)]
    first = plan(skills, {}, 10, T0, random.Random(7))
    assert first == plan(skills, {}, 10, T0, random.Random(7))
    assert first != plan(skills, {}, 10, T0, random.Random(8))


def test_the_ratings_are_fsrs_numbers_1_to_4() -> None:
    # integer at difficulty 2 expects 20 s: wrong, over 40 s, 8-40 s, under 8 s
    assert [rating_for(False, 10.0, "integer", 2), rating_for(True, 50.0, "integer", 2)] == [1, 2]
    assert [rating_for(True, 10.0, "integer", 2), rating_for(True, 5.0, "integer", 2)] == [3, 4]
    assert rating_for(True, 5.0, "integer", 2, hint_used=True) == 2
    assert rating_for(True, 50.0, "integer", 2, hint_used=True) == 2
    assert rating_for(True, 10.0, "integer", 2, hint_used=True) == 2
    assert rating_for(False, 10.0, "integer", 2, hint_used=True) == 1
    assert rating_for(True, 1.0, "choice", 2) == 3
    assert rating_for(True, 50.0, "choice", 2) == 2


# Every type at every difficulty factor (0.75, 1.0, 1.5; a difficulty outside 1-3 counts as 2), written out:
# (type, difficulty, expected seconds, Hard over (twice expected), Easy under (40% of expected)).
THRESHOLDS = [
    ("choice", 1, 9.0, 18.0, 3.6),
    ("choice", 2, 12.0, 24.0, 4.8),
    ("choice", 3, 18.0, 36.0, 7.2),
    ("multi", 1, 15.0, 30.0, 6.0),
    ("multi", 2, 20.0, 40.0, 8.0),
    ("multi", 3, 30.0, 60.0, 12.0),
    ("true_false", 1, 6.0, 12.0, 2.4),
    ("true_false", 2, 8.0, 16.0, 3.2),
    ("true_false", 3, 12.0, 24.0, 4.8),
    ("integer", 1, 15.0, 30.0, 6.0),
    ("integer", 2, 20.0, 40.0, 8.0),
    ("integer", 3, 30.0, 60.0, 12.0),
    ("integer", 4, 20.0, 40.0, 8.0),
    ("integer", 0, 20.0, 40.0, 8.0),
    ("numeric", 1, 30.0, 60.0, 12.0),
    ("numeric", 2, 40.0, 80.0, 16.0),
    ("numeric", 3, 60.0, 120.0, 24.0),
    ("text", 1, 15.0, 30.0, 6.0),
    ("text", 2, 20.0, 40.0, 8.0),
    ("text", 3, 30.0, 60.0, 12.0),
]
GUESSABLE = {"choice", "true_false"}  # a right answer may be a guess: Good at most


@pytest.mark.parametrize(("question_type", "difficulty", "expected", "hard_over", "easy_under"), THRESHOLDS)
def test_rating_on_and_around_each_threshold(
    question_type: QuestionType, difficulty: int, expected: float, hard_over: float, easy_under: float
) -> None:
    assert expected_seconds(question_type, difficulty) == expected
    easy = 3 if question_type in GUESSABLE else 4
    # Hard is strictly over twice the expected time: on it is still Good
    assert rating_for(True, hard_over, question_type, difficulty) == 3
    assert rating_for(True, hard_over + 0.01, question_type, difficulty) == 2
    assert rating_for(True, hard_over - 0.01, question_type, difficulty) == 3
    # Easy is strictly under 40%: on it is Good (but 0.4 * 12.0 is 4.800000000000001 and
    # 0.4 * 6.0 is 2.4000000000000004 in floating point, so 4.8 s and 2.4 s fall just under there;
    # those are guessable types, whose rating is Good either way)
    assert rating_for(True, easy_under, question_type, difficulty) == 3
    assert rating_for(True, easy_under + 0.01, question_type, difficulty) == 3
    assert rating_for(True, easy_under - 0.01, question_type, difficulty) == easy
    assert rating_for(True, easy_under - 0.01, question_type, difficulty, hint_used=True) == 2
    assert rating_for(True, hard_over + 0.01, question_type, difficulty, hint_used=True) == 2
    assert rating_for(False, easy_under - 0.01, question_type, difficulty) == 1


@pytest.mark.parametrize(("question_type", "difficulty", "expected", "hard_over", "easy_under"), THRESHOLDS)
def test_the_reason_on_and_around_each_threshold(
    question_type: QuestionType, difficulty: int, expected: float, hard_over: float, easy_under: float
) -> None:
    def reason(seconds: float) -> str:
        return rating_reason(True, seconds, question_type, difficulty)

    def taken(seconds: float) -> str:
        return f"correct in {seconds:.0f} s"

    assert reason(hard_over) == f"{taken(hard_over)}, about {expected:.0f} s expected"
    over = hard_over + 0.01
    assert reason(over) == f"{taken(over)}, over twice the {expected:.0f} s expected"
    assert reason(easy_under + 0.01) == f"{taken(easy_under)}, about {expected:.0f} s expected"
    under = easy_under - 0.01
    if question_type in GUESSABLE:
        assert reason(under) == f"{taken(under)}; a guess can be right here, so Good at most"
    else:
        assert reason(under) == f"{taken(under)}, under 40% of the {expected:.0f} s expected"
    if easy_under not in (4.8, 2.4):  # see the floating-point note above
        assert reason(easy_under) == f"{taken(easy_under)}, about {expected:.0f} s expected"


def test_a_reason_under_a_second() -> None:
    assert rating_reason(True, 0.99, "integer", 2) == "correct in under 1 s, under 40% of the 20 s expected"
    assert rating_reason(True, 1.0, "integer", 2) == "correct in 1 s, under 40% of the 20 s expected"


# Fuzz. A card in review whose last review was a day before T0, with the stability that makes FSRS's
# unfuzzed interval (after the rating) the number of days given; FSRS's fuzz range for an interval of
# n days is n +- d rounded, d = 1 + 15% of the part of n from 2.5 to 7 + 10% of 7 to 20 + 5% beyond 20
# (fsrs.scheduler.FUZZ_RANGES), and at most FSRS's maximum interval of 36500 days.
FUZZ_CASES = [
    # (stability, rating, unfuzzed days, every fuzzed day count)
    (0.5, 2, 2, {2}),  # under 3 days: no fuzz
    (0.5, 3, 3, {2, 3, 4}),  # d = 1.075
    (1.25, 3, 5, {4, 5, 6}),  # d = 1.375
    (6.3, 3, 10, {8, 9, 10, 11, 12}),  # d = 1.975
    (27.0, 3, 30, set(range(27, 34))),  # d = 3.475
    (98.0, 3, 100, set(range(93, 108))),  # d = 6.975
]


def review_card(stability: float) -> dict[str, object]:
    return {
        "card_id": 1,
        "state": 2,  # fsrs.State.Review
        "step": None,
        "stability": stability,
        "difficulty": 5.0,
        "due": T0.isoformat(),
        "last_review": (T0 - timedelta(days=1)).isoformat(),
    }


def days_after(due: datetime, when: datetime = T0) -> int:
    interval = due - when
    assert interval == timedelta(days=interval.days)  # whole days
    return interval.days


@pytest.mark.parametrize(("stability", "rating", "days", "fuzzed"), FUZZ_CASES)
def test_fuzz_spreads_an_interval_over_fsrs_range(
    stability: float, rating: int, days: int, fuzzed: set[int]
) -> None:
    card = review_card(stability)
    exact_card, exact_due = Scheduler(fuzz=False).review(card, rating, T0, 8.0, skill="s0")
    assert days_after(exact_due) == days
    assert exact_card["due"] == exact_due.isoformat()
    exact = Scheduler(fuzz=False)
    assert {days_after(exact.review(card, rating, T0, 8.0, skill=f"s{n}")[1]) for n in range(300)} == {days}
    scheduler = Scheduler(fuzz=True)
    seen = set()
    for n in range(300):
        fuzzed_card, due = scheduler.review(card, rating, T0, 8.0, skill=f"s{n}")
        assert fuzzed_card["due"] == due.isoformat()
        assert fuzzed_card["stability"] == exact_card["stability"]  # fuzz moves the date only
        seen.add(days_after(due))
    assert seen == fuzzed


def test_fuzz_stays_within_the_maximum_interval_of_36500_days() -> None:
    card = review_card(40000.0)
    assert days_after(Scheduler(fuzz=False).review(card, 3, T0, 8.0)[1]) == 36500
    scheduler = Scheduler()
    seen = {days_after(scheduler.review(card, 3, T0, 8.0, skill=f"s{n}")[1]) for n in range(300)}
    # d = 1826.975: 34673 to 36500 (38327 cut to the maximum)
    assert min(seen) >= 34673 and max(seen) <= 36500
    assert len(seen) > 250 and min(seen) < 34700 and max(seen) > 36400


def test_fuzz_is_on_by_default() -> None:
    assert Scheduler().fuzz is True
    card = review_card(6.3)
    scheduler = Scheduler()
    seen = {days_after(scheduler.review(card, 3, T0, 8.0, skill=f"s{n}")[1]) for n in range(300)}
    assert seen == {8, 9, 10, 11, 12}


def test_fuzz_differs_between_review_times_of_one_skill() -> None:
    card = review_card(6.3)
    scheduler = Scheduler()
    seen = set()
    for n in range(300):
        when = T0 + timedelta(microseconds=n)  # FSRS's interval is still 10 days
        seen.add(days_after(scheduler.review(card, 3, when, 8.0, skill="xavier-1")[1], when))
    assert seen == {8, 9, 10, 11, 12}


def history(scheduler: Scheduler, skill: str, start: datetime) -> list[tuple[dict[str, object], datetime]]:
    """A new skill answered Easy, then Good whenever due, eight times."""
    card, due = scheduler.review(None, 4, start, 5.0, skill=skill)
    reviews = [(card, due)]
    for _ in range(8):
        card, due = scheduler.review(card, 3, due, 8.0, skill=skill)
        reviews.append((card, due))
    return reviews


def test_fuzzed_schedules_are_reproducible() -> None:
    """The same review history gives the same schedule with fuzz on: the fuzz is seeded by the review,
    not drawn from the global random (which would differ between the two runs below)."""
    skills = [(f"he-{n}", T0 + timedelta(minutes=n)) for n in range(30)]
    saved = random.getstate()
    try:  # were the fuzz drawn from the global random, these two runs would differ
        random.seed(1)
        first = [history(Scheduler(), skill, start) for skill, start in skills]
        random.seed(2)
        second = [history(Scheduler(), skill, start) for skill, start in skills]
    finally:
        random.setstate(saved)
    assert first == second
    exact = [history(Scheduler(fuzz=False), skill, T0) for skill, _ in skills]
    assert all(run == exact[0] for run in exact)  # unfuzzed, the skill makes no difference
    fuzzed_from_t0 = [history(Scheduler(), skill, T0) for skill, _ in skills]
    last_dues = [run[-1][1] for run in fuzzed_from_t0]
    assert len(set(last_dues)) > 10  # fuzzed, skills reviewed at the same times spread out
    assert fuzzed_from_t0[0] == history(Scheduler(), "he-0", T0)
    final_interval = exact[0][-1][1] - exact[0][-2][1]
    assert final_interval > timedelta(days=100)


def test_a_fuzzed_learning_step_stays_in_minutes() -> None:
    card, due = Scheduler().review(None, 1, T0, 5.0, skill="s")
    assert due - T0 == timedelta(minutes=1)
    card, due = Scheduler().review(None, 3, T0, 5.0, skill="s")
    assert due - T0 == timedelta(minutes=10)
    assert card["due"] == due.isoformat()


def test_plan_returns_exactly_the_count_asked_for() -> None:
    # 3 due, 3 new, 3 not yet due, in three topics
    skills = [Skill(f"{t}-{n}", t, "question") for t in ("he", "xavier", "vanishing") for n in range(3)]
    states = {
        "he-0": state("he-0", "he", T0 - timedelta(days=2)),
        "xavier-0": state("xavier-0", "xavier", T0 - timedelta(days=1)),
        "vanishing-0": state("vanishing-0", "vanishing", T0),  # due exactly now
        "he-1": state("he-1", "he", T0 + timedelta(days=1)),
        "xavier-1": state("xavier-1", "xavier", T0 + timedelta(days=3)),
        "vanishing-1": state("vanishing-1", "vanishing", T0 + timedelta(days=2)),
    }
    due = ["he-0", "xavier-0", "vanishing-0"]
    new = {"he-2", "xavier-2", "vanishing-2"}
    later = ["he-1", "vanishing-1", "xavier-1"]
    for count, length in [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
        (5, 5),
        (6, 6),
        (7, 7),
        (9, 9),
        (10, 9),
        (40, 9),
    ]:
        ids = [s.id for s in plan(skills, states, count, T0, random.Random(3))]
        assert len(ids) == length
        assert len(set(ids)) == length
        assert ids[:3] == due[:count]
        assert set(ids[3:6]) <= new and len(ids[3:6]) == min(max(count - 3, 0), 3)
        assert ids[6:] == later[: max(count - 6, 0)]


def test_rating_names() -> None:
    assert RATING_NAMES == {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def test_a_new_card_after_its_first_review() -> None:
    card, due = Scheduler().review(None, 1, T0, 5.0, skill="s")
    assert (card["card_id"], card["state"], card["step"]) == (1, 1, 0)  # Learning, first step
    assert card["last_review"] == T0.isoformat() and card["due"] == due.isoformat()


def test_the_desired_retention_sets_the_interval() -> None:
    card = review_card(6.3)  # 10 days at 90% retention
    days = {
        retention: days_after(Scheduler(fuzz=False, desired_retention=retention).review(card, 3, T0, 8.0)[1])
        for retention in (0.8, 0.9, 0.95)
    }
    assert days[0.8] > 10 and days[0.9] == 10 and days[0.95] < 10


def test_fuzz_never_passes_fsrs_maximum_interval() -> None:
    scheduler = Scheduler()
    scheduler._scheduler = fsrs.Scheduler(maximum_interval=11, enable_fuzzing=False)  # an FSRS set to 11 days
    card = review_card(6.3)  # 10 days: 8 to 12 fuzzed, 12 cut to 11
    assert {days_after(scheduler.review(card, 3, T0, 8.0, skill=f"s{n}")[1]) for n in range(300)} == {
        8,
        9,
        10,
        11,
    }


def fields(card: fsrs.Card) -> dict[str, object]:
    return dict(card.to_dict())


NEW_CARD = {"card_id": 1, "state": 1, "step": 0, "stability": None, "difficulty": None}


def test_card_from_fills_missing_fields_as_a_new_card() -> None:
    assert fields(card_from({}, T0)) == {**NEW_CARD, "due": T0.isoformat(), "last_review": None}
    stored = {
        "card_id": 1,
        "state": 2,
        "step": None,
        "stability": 6.3,
        "difficulty": 5.0,
        "due": "2026-03-05T08:00:00+00:00",
        "last_review": "2026-02-25T08:00:00+00:00",
    }
    assert fields(card_from(stored, T0)) == stored
    partial = {"state": 2, "stability": 6.3, "difficulty": 5.0, "last_review": "2026-02-25T08:00:00+00:00"}
    assert fields(card_from(partial, T0)) == {**partial, "card_id": 1, "step": 0, "due": T0.isoformat()}
    memory_only = {"stability": 6.3, "difficulty": 5.0}  # no state: learning, first step
    assert fields(card_from(memory_only, T0)) == {
        **NEW_CARD,
        **memory_only,
        "due": T0.isoformat(),
        "last_review": None,
    }


@pytest.mark.parametrize(("stability", "difficulty"), [(6.3, None), (None, 5.0), (0.0, 5.0), (6.3, 0.0)])
def test_card_from_starts_afresh_with_half_a_memory(
    stability: float | None, difficulty: float | None
) -> None:
    stored = {
        "card_id": 1,
        "state": 2,
        "step": None,
        "stability": stability,
        "difficulty": difficulty,
        "due": "2026-03-05T08:00:00+00:00",
        "last_review": "2026-02-25T08:00:00+00:00",
    }
    expected = {**NEW_CARD, "due": "2026-03-05T08:00:00+00:00", "last_review": "2026-02-25T08:00:00+00:00"}
    assert fields(card_from(stored, T0)) == expected


def test_fuzz_range_of_six_days_is_four_to_eight() -> None:
    """6 days: 1 + 15% of (6 - 2.5) = 1.525 days either side, so 4 to 8 (worked by hand from FSRS's
    ranges); the parts of the range beyond 7 and 20 days add nothing, not a negative amount."""
    import random

    from quizgen.scheduler import _fuzzed_days

    assert {_fuzzed_days(6, random.Random(seed), 36500) for seed in range(200)} == {4, 5, 6, 7, 8}

"""Scheduling: ratings from answers, FSRS intervals on a fake clock, and what a session practises."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest

from quizgen.bank import Skill
from quizgen.models import QuestionType
from quizgen.scheduler import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    Scheduler,
    expected_seconds,
    plan,
    rating_for,
    rating_reason,
)
from quizgen.store import SkillState

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


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
    assert Scheduler(fuzz=False).review(None, GOOD, T0, 8.0) == Scheduler(fuzz=False).review(
        None, GOOD, T0, 8.0
    )
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

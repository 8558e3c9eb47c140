"""PHQ-2 / PHQ-9 mood screening (domain.md §4.2)."""

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.mood import (
    PHQ2_POSITIVE_AT,
    Phq9Band,
    check_items,
    check_mood_screen,
    score_phq2,
    score_phq9,
    screen_mood,
)


@pytest.mark.parametrize(
    ("items", "total", "positive"),
    [
        pytest.param((0, 0), 0, False, id="§4.2-zero"),
        pytest.param((1, 1), 2, False, id="§4.2-2-negative-at-default"),
        pytest.param((2, 1), 3, True, id="§4.2-3-positive"),
        pytest.param((0, 3), 3, True, id="§4.2-one-item-3-positive"),
        pytest.param((3, 3), 6, True, id="§4.2-max"),
    ],
)
def test_phq2_positive_at_three(items: tuple[int, int], total: int, positive: bool) -> None:
    result = score_phq2(items)
    assert (result.total, result.is_positive) == (total, positive)


def test_phq2_threshold_is_a_policy_setting() -> None:
    """§4.2: ≥3 is the default; ≥2 is the more sensitive choice a clinic may make."""
    assert PHQ2_POSITIVE_AT == 3
    assert score_phq2((1, 1), positive_at=2).is_positive


@pytest.mark.parametrize(
    ("total", "band"),
    [
        pytest.param(0, Phq9Band.MINIMAL, id="§4.2-0-minimal"),
        pytest.param(4, Phq9Band.MINIMAL, id="§4.2-4-minimal"),
        pytest.param(5, Phq9Band.MILD, id="§4.2-5-mild"),
        pytest.param(9, Phq9Band.MILD, id="§4.2-9-mild"),
        pytest.param(10, Phq9Band.MODERATE, id="§4.2-10-moderate"),
        pytest.param(14, Phq9Band.MODERATE, id="§4.2-14-moderate"),
        pytest.param(15, Phq9Band.MODERATELY_SEVERE, id="§4.2-15-mod-severe"),
        pytest.param(19, Phq9Band.MODERATELY_SEVERE, id="§4.2-19-mod-severe"),
        pytest.param(20, Phq9Band.SEVERE, id="§4.2-20-severe"),
        pytest.param(27, Phq9Band.SEVERE, id="§4.2-27-severe"),
    ],
)
def test_phq9_bands(total: int, band: Phq9Band) -> None:
    item9 = max(0, total - 24)  # 27 needs question 9 at 3
    result = score_phq9(spread(total, item9=item9))
    assert result.total == total
    assert result.band is band
    assert result.needs_same_day_follow_up is (item9 > 0)


def spread(total: int, *, item9: int) -> list[int]:
    """Nine item scores summing to `total`, with item 9 fixed."""
    rest = total - item9
    items = []
    for _ in range(8):
        score = min(3, rest)
        items.append(score)
        rest -= score
    assert rest == 0
    return [*items, item9]


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_item_nine_above_zero_needs_same_day_follow_up_whatever_the_total(item9: int) -> None:
    """§4.2: item 9 > 0 → same-day clinician follow-up, even with a minimal total."""
    items = [0] * 8 + [item9]
    screen = screen_mood((0, 0), items)
    assert screen.phq9 is not None
    assert screen.phq9.band is Phq9Band.MINIMAL
    assert screen.needs_same_day_follow_up
    assert "today" in screen.actions[0]


def test_positive_phq2_asks_for_phq9() -> None:
    """§4.2: PHQ-9 when PHQ-2 is positive."""
    screen = screen_mood((2, 2))
    assert screen.needs_phq9
    assert screen.phq9 is None
    assert screen.actions == ("PHQ-2 positive (4 of 6): complete the PHQ-9 now.",)


def test_negative_phq2_needs_nothing_more() -> None:
    screen = screen_mood((1, 1))
    assert not screen.needs_phq9
    assert not screen.needs_same_day_follow_up
    assert screen.actions == ()


def test_phq9_alone_supplies_the_phq2() -> None:
    screen = screen_mood(None, [2, 2, 1, 1, 1, 1, 1, 1, 0])
    assert screen.phq2.total == 4
    assert screen.phq2.is_positive
    assert not screen.needs_phq9
    assert screen.phq9 is not None
    assert screen.phq9.total == 10
    assert any("prescriber" in a for a in screen.actions)


@pytest.mark.parametrize(
    ("phq2", "phq9", "field", "says"),
    [
        pytest.param(None, None, "phq2", "every visit", id="nothing"),
        pytest.param((1,), None, "phq2", "all 2", id="one-item"),
        pytest.param((1, 4), None, "phq2", "0 to 3", id="item-above-3"),
        pytest.param((-1, 0), None, "phq2", "0 to 3", id="negative-item"),
        pytest.param((True, 0), None, "phq2", "whole number", id="bool-is-not-a-score"),
        pytest.param((0, 0), [0] * 8, "phq9", "all 9", id="phq9-short"),
        pytest.param((1, 0), [0] * 9, "phq9", "match", id="phq2-phq9-disagree"),
    ],
)
def test_invalid_answers_are_refused(
    phq2: Sequence[int] | None, phq9: Sequence[int] | None, field: str, says: str
) -> None:
    problems = check_mood_screen(phq2, phq9)
    assert problems
    assert problems[0].field == field
    assert says in problems[0].message
    with pytest.raises(ValueError, match=says):
        screen_mood(phq2, phq9)


def test_check_items_names_each_bad_question() -> None:
    problems = check_items([0, 5, 1, 9, 0, 0, 0, 0, 0], count=9, field="phq9")
    assert [p.message.split(":")[0] for p in problems] == ["Question 2", "Question 4"]


scores = st.integers(min_value=0, max_value=3)


@given(st.lists(scores, min_size=9, max_size=9))
def test_phq9_band_matches_its_total_and_flag_matches_item_nine(items: list[int]) -> None:
    result = score_phq9(items)
    lows = [0, 5, 10, 15, 20]
    band_index = sum(1 for low in lows if result.total >= low) - 1
    assert result.band is list(Phq9Band)[band_index]
    assert result.needs_same_day_follow_up is (items[8] > 0)


@given(st.lists(scores, min_size=9, max_size=9))
def test_screen_never_asks_for_phq9_once_it_is_recorded(items: list[int]) -> None:
    screen = screen_mood(items[:2], items)
    assert not screen.needs_phq9
    assert screen.needs_same_day_follow_up is (items[8] > 0)

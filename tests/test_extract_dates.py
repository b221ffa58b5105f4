"""Date expressions resolved against the publication date, across week, month and year ends."""

from __future__ import annotations

import datetime as dt

import pytest

from incidentmap.news.dates import find_dates, resolve_month_day

D = dt.date
MONDAY = D(2023, 9, 4)


def one(text: str, published: dt.date | None):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("during the night of September 3 to 4, drones", MONDAY, D(2023, 9, 3), D(2023, 9, 4)),
        ("on the night of 3-4 September 2023", None, D(2023, 9, 3), D(2023, 9, 4)),
        ("the night of 31 August to 1 September", MONDAY, D(2023, 8, 31), D(2023, 9, 1)),
        ("drones attacked Izmail overnight.", MONDAY, D(2023, 9, 3), D(2023, 9, 4)),
        ("Ukraine said on Monday", MONDAY, MONDAY, MONDAY),
        ("two others early on Saturday", MONDAY, D(2023, 9, 2), D(2023, 9, 2)),
        ("destroyed late on Friday", MONDAY, D(2023, 9, 1), D(2023, 9, 1)),
        ("19 drones flew overnight on Wednesday", D(2025, 9, 15), D(2025, 9, 9), D(2025, 9, 10)),
        ("on Sunday night", MONDAY, D(2023, 9, 3), D(2023, 9, 4)),
        ("last Monday", MONDAY, D(2023, 8, 28), D(2023, 8, 28)),
        ("told journalists on Aug.\n4, Interfax", D(2024, 8, 5), D(2024, 8, 4), D(2024, 8, 4)),
        ("on May 12, 2023 in Kyiv", MONDAY, D(2023, 5, 12), D(2023, 5, 12)),
        ("on 17 August", MONDAY, D(2023, 8, 17), D(2023, 8, 17)),
        ("said in mid-July", D(2024, 8, 4), D(2024, 7, 11), D(2024, 7, 20)),
        ("in late July", D(2024, 8, 4), D(2024, 7, 21), D(2024, 7, 31)),
        ("began in February 2022", MONDAY, D(2022, 2, 1), D(2022, 2, 28)),
        ("tensions soared last week", D(2025, 9, 15), D(2025, 9, 8), D(2025, 9, 14)),
        ("videos spread two weeks ago", D(2024, 8, 4), D(2024, 7, 21), D(2024, 7, 21)),
        ("3 days ago", MONDAY, D(2023, 9, 1), D(2023, 9, 1)),
        ("announced today", MONDAY, MONDAY, MONDAY),
        ("yesterday", MONDAY, D(2023, 9, 3), D(2023, 9, 3)),
        ("this month", MONDAY, D(2023, 9, 1), D(2023, 9, 30)),
        ("published 2023-09-06", None, D(2023, 9, 6), D(2023, 9, 6)),
    ],
)
def test_expressions(text, published, start, end):
    mention = one(text, published)
    assert (mention.date_start, mention.date_end) == (start, end), mention


def test_relative_dates_across_a_year_boundary():
    new_year = D(2024, 1, 1)  # a Monday
    assert one("on Saturday", new_year).date_start == D(2023, 12, 30)
    assert one("Dec. 30", D(2024, 1, 2)).date_start == D(2023, 12, 30)
    last_december = one("last December", D(2024, 1, 15))
    assert (last_december.date_start, last_december.date_end) == (D(2023, 12, 1), D(2023, 12, 31))
    overnight = one("overnight", new_year)
    assert (overnight.date_start, overnight.date_end) == (D(2023, 12, 31), new_year)
    assert one("last week", D(2024, 1, 3)).date_start == D(2023, 12, 25)


def test_last_november_is_the_previous_year_when_read_in_september():
    mention = one("a missile that fell near the border last November", MONDAY)
    assert (mention.date_start, mention.date_end) == (D(2022, 11, 1), D(2022, 11, 30))
    assert mention.precision == "month"


def test_without_publication_date_only_dates_with_a_year_resolve():
    found = find_dates("on Saturday, and on July 21, 2022, and on Aug. 4", None)
    resolved = {m.text: (m.date_start, m.date_end) for m in found}
    assert resolved["July 21, 2022"] == (D(2022, 7, 21), D(2022, 7, 21))
    assert resolved["on Saturday"] == (None, None)
    assert resolved["Aug. 4"] == (None, None)


def test_not_dates():
    assert find_dates("This may include adverts; troops march on.", MONDAY) == []
    assert resolve_month_day(2, 30, MONDAY) is None


def test_mentions_are_in_text_order_and_do_not_overlap():
    text = "Overnight on Wednesday drones flew; on Thursday Warsaw invoked Article 4."
    found = find_dates(text, D(2025, 9, 15))
    assert [m.text for m in found] == ["Overnight on Wednesday", "on Thursday"]
    assert found[1].date_start == D(2025, 9, 11)

"""Incident layers: styles, popup content, the compact payload, and the folium elements."""

import datetime as dt
import json
import re

import pytest

import folium

from incidentmap.layers.incidents import (
    KINDS,
    STATUSES,
    date_text,
    distance_text,
    encode_column,
    incident_layers,
    incident_payload,
    incident_style,
    nato_soil_text,
    popup_record,
)
from tests.layers_support import (
    GALATI,
    HOSTILE_NOTES,
    HOSTILE_PLACE,
    PLAURU,
    incident,
    incident_frame,
)


def test_each_kind_has_its_own_colour_and_icon():
    looks = {
        (incident_style(k, "confirmed").color, incident_style(k, "confirmed").icon) for k in KINDS
    }
    assert len({c for c, _ in looks}) == len(KINDS)
    assert len({i for _, i in looks}) == len(KINDS)


def test_status_changes_fill_and_border_not_colour():
    confirmed = incident_style("impact", "confirmed")
    claimed = incident_style("impact", "claimed")
    denied = incident_style("impact", "denied")
    assert confirmed.color == claimed.color == denied.color
    assert confirmed.fill == confirmed.color and confirmed.border == "solid"
    assert claimed.fill == "#ffffff" and claimed.border == "dashed"
    assert denied.border == "dotted" and denied.opacity < 1


def test_unknown_kind_or_status_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="debris_found"):
        incident_style("explosion", "confirmed")
    with pytest.raises(ValueError, match="confirmed"):
        incident_style("impact", "rumoured")


def test_date_text_and_distance_text():
    assert date_text(dt.date(2023, 9, 4), dt.date(2023, 9, 4)) == "2023-09-04"
    assert date_text(dt.date(2025, 9, 9), dt.date(2025, 9, 10)) == "2025-09-09 – 2025-09-10"
    assert distance_text(-0.04) == "0.0 km outside NATO territory"
    assert distance_text(None) == ""


def test_nato_soil_answer_is_dated_and_names_the_country():
    row = incident("ROU-2023-0001", "debris_found", PLAURU, start=dt.date(2023, 9, 3))
    assert nato_soil_text(row) == "yes, as of 2023-09-03 (Romania, land)"
    row.update(on_nato_soil="uncertain", status_note="within 1 km of the border")
    assert nato_soil_text(row).startswith("uncertain, as of 2023-09-03")
    assert nato_soil_text(row).endswith("within 1 km of the border")


def test_popup_record_orders_claims_by_date_and_keeps_only_web_links():
    rec = popup_record(
        incident(
            "ROU-2023-0001",
            "debris_found",
            PLAURU,
            start=dt.date(2023, 9, 3),
            end=dt.date(2023, 9, 4),
        )
    )
    (
        ident,
        title,
        date,
        place,
        kind,
        weapon,
        country,
        nato,
        distance,
        status,
        claims,
        sources,
        notes,
        precision,
    ) = rec
    assert ident == "ROU-2023-0001" and date == "2023-09-03 – 2023-09-04"
    assert precision == "within 1.5 km (curated)"
    assert (title, place, kind) == ("Debris found: Plauru", "Plauru", "Debris found")
    assert distance == "0.4 km inside NATO territory" and status == "confirmed"
    # claims: by date; the two of 2023-09-04 keep their recorded order (claim, then denial)
    assert [(c[0], c[2]) for c in claims] == [
        ("2023-09-04", "claimed"),
        ("2023-09-04", "denied"),
        ("2023-09-06", "confirmed"),
    ]
    assert sources[0] == [
        "Reuters — 2023-09-06: Drone pieces found",
        "https://www.reuters.com/world/europe/drone-pieces",
    ]
    assert sources[1][1] is None  # javascript: is never a link
    assert sources[2] == ["Newsweek — 2023-09-04: Headline [articles/001.txt]", None]


def test_popup_record_names_a_country_disagreement():
    rec = popup_record(incident("X", "impact", GALATI, start=dt.date(2023, 9, 10), country="UKR"))
    assert rec[6] == "Romania (reported as UKR)"


def test_payload_flips_lonlat_to_latlon_and_encodes_days():
    frame = incident_frame()
    payload = incident_payload(frame, "debris_found")
    assert payload["lat"] == [PLAURU[1]] and payload["lon"] == [PLAURU[0]]
    assert payload["d0"] == [(dt.date(2023, 9, 3) - dt.date(1970, 1, 1)).days]
    assert payload["d1"][0] - payload["d0"][0] == 1
    assert payload["status"][payload["st"][0]] == "confirmed"
    assert payload["style"]["icon"] == "fa-puzzle-piece"


def test_hostile_text_stays_data_in_the_rendered_page():
    frame = incident_frame()
    m = folium.Map(tiles=None)
    for group in incident_layers(frame[frame.geometry.notna()]):
        group.add_to(m)
    html = m.get_root().render()
    assert "window.__pwned" in html  # the text is there, as data ...
    assert "<script>window.__pwned" not in html and "<img src=x" not in html  # ... never as markup
    assert "${window" not in html and "`backtick`" not in html
    blob = re.search(r'<script type="application/json" id="\w+">(.*?)</script>', html, re.S)
    data = json.loads(blob.group(1))
    assert data["pop"]["place"] == [HOSTILE_PLACE] and data["pop"]["notes"] == [HOSTILE_NOTES]


def test_payload_columns_are_dictionary_encoded_when_repeated():
    assert encode_column(["a", "b", "a", "a"]) == {"u": ["a", "b"], "i": [0, 1, 0, 0]}
    assert encode_column(["a", "b"]) == ["a", "b"]
    rows = [
        incident(f"ROU-2023-{i:04d}", "debris_found", PLAURU, start=dt.date(2023, 9, 3))
        for i in range(6)
    ]
    payload = incident_payload(incident_frame(rows), "debris_found")
    assert payload["pop"]["id"] == [f"ROU-2023-{i:04d}" for i in range(6)]
    assert payload["pop"]["country"] == {"u": ["Romania"], "i": [0] * 6}
    assert payload["pop"]["nato"] == {"u": ["yes"], "i": [0] * 6}
    assert "de" not in payload  # event_date == date_start: not repeated


def test_one_layer_per_kind_present_named_with_counts():
    frame = incident_frame()
    frame = frame[frame.geometry.notna()]
    names = [g.layer_name for g in incident_layers(frame)]
    assert names == [
        "Incidents: Impact (1)",
        "Incidents: Debris found (1)",
        "Incidents: Shoot-down (1)",
    ]
    assert set(STATUSES) >= set(frame["claim_status"])


def test_popup_record_accepts_a_pandas_row_with_missing_values():
    import pandas as pd

    from incidentmap.layers.incidents import popup_record

    frame = pd.DataFrame(
        [
            {
                "event_id_cnty": "ROU-2023-0001",
                "kind": "debris_found",
                "weapon": "Shahed-136",
                "count": pd.NA,
                "location_as_reported": "Plauru",
                "notes": "n",
            }
        ]
    ).astype({"count": "Int64"})
    lines = popup_record(frame.iloc[0])  # a Series: its .count method must not be read
    text = " ".join(map(str, lines))
    assert "Plauru" in text and "Shahed-136" in text and "<NA>" not in text

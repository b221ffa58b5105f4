"""A claim's subject: only statements about the incident itself settle whether it happened."""

from __future__ import annotations

import datetime as dt

import pytest

from incidentmap.geo.claims import claim_status
from incidentmap.geo.enrich import default_seeds_dir
from incidentmap.geo.incidents import Claim, load_incidents
from incidentmap.geo.schema import CLAIM_SUBJECTS

D = dt.date(2023, 7, 24)
RUSSIA = "Military Forces of Russia (2000-)"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (None, "denied"),
        ("incident", "denied"),
        ("threat", "claimed"),
        ("responsibility", "claimed"),
    ],
)
def test_only_a_denial_of_the_incident_denies_it(subject, expected):
    claims = [
        Claim(D, "Ukraine Operational Command South", "claimed", "..."),
        Claim(D, "Romania Ministry of National Defence", "denied", "...", subject),
    ]
    assert claim_status(claims, actor1=RUSSIA) == expected


def test_a_confirmation_of_a_threat_does_not_confirm_the_incident():
    claims = [
        Claim(D, "Ukraine MFA", "attributed", "..."),
        Claim(D, "Romania MoND", "confirmed", "...", "threat"),
    ]
    assert claim_status(claims) == "attributed"


def test_the_reni_port_attack_is_not_denied():
    """Romania said the strikes on Reni posed no threat to Romania; nobody denied the attack."""
    loaded = load_incidents(default_seeds_dir())
    reni = next(i for i in loaded.incidents if i.event_id_cnty == "UKR-2023-0001")
    romania = [c for c in reni.claims if c.actor.startswith("Romania")]
    assert [(c.stance, c.subject) for c in romania] == [("denied", "threat")]
    assert claim_status(reni.claims, actor1=reni.actor1) == "claimed"
    # without the subject the same claims read as a denial (the bug this fixes)
    bare = [Claim(c.date, c.actor, c.stance, c.summary) for c in reni.claims]
    assert claim_status(bare, actor1=reni.actor1) == "denied"


def test_an_unknown_subject_is_a_one_line_seed_problem(tmp_path):
    seed = (default_seeds_dir() / "ukraine_ports.yaml").read_text("utf-8")
    (tmp_path / "x.yaml").write_text(seed.replace("subject: threat", "subject: thread"), "utf-8")
    loaded = load_incidents(tmp_path)
    problems = [str(p) for p in getattr(loaded, "problems", ())] or [repr(loaded)]
    assert any("subject" in p and "thread" in p for p in problems), problems
    assert "threat" in CLAIM_SUBJECTS

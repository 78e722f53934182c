"""Broadcasters, presenters, record labels and production companies beside a work (fictional names): exact facts."""

from __future__ import annotations

import pytest

from kg.extract import extract_facts
from kg.model import Document

_COMPANY_PROPERTIES = {"originalBroadcaster", "presenter", "recordLabel", "productionCompany"}


def _facts(nlp, onto, text):
    doc = Document(id="urn:test", text=text)
    return {(f.subject.label, f.predicate, str(f.object)) for f in extract_facts(doc, nlp(text), onto, relation_model=None)
            if f.predicate in _COMPANY_PROPERTIES}


@pytest.mark.parametrize("text, expected", [
    ("Tomas Reyk, who starred in hit BBC comedy The Office Party, will play Arthur.",
     {("The Office Party", "originalBroadcaster", "BBC")}),
    ("Lena Marsh told ITV1's This Morning the show was over.", {("This Morning", "originalBroadcaster", "ITV1")}),
    # a name that runs on past the possessive is not cut short
    ("The category included ITV1's Hell's Kitchen.", set()),
    ("Carson, who hosted the Tonight Show for 30 years, died in January.",
     {("Tonight Show", "presenter", "Carson")}),
    ("Nobody from Channel 4 or Big Brother producer Endemol placed bets.",
     {("Big Brother", "productionCompany", "Endemol")}),
    ("Rock band Kestrel Quay played in Glasgow. They signed with independent label Domino, home of Smog, Sebadoh and Four Tet, "
     "in June 2003.",
     {("Kestrel Quay", "recordLabel", "Domino"), ("Smog", "recordLabel", "Domino"), ("Sebadoh", "recordLabel", "Domino"),
      ("Four Tet", "recordLabel", "Domino")}),
    # a company that is no channel: its possessive names no broadcast
    ("Coldplay's Chris Martin sang.", set()),
])
def test_companies_and_hosts_beside_a_work(nlp, onto, text, expected):
    assert _facts(nlp, onto, text) == expected

"""The ballot over HTTP: choose, confirm, cast once, receipt; secrecy; results; concurrent casts."""

from __future__ import annotations

import re
import threading
from collections import Counter

import httpx
import pytest
from sqlalchemy import inspect
from sqlmodel import col, select

from nominations.db.models import AuditEvent, BallotPaper, Vacancy, VoteRecord
from tests.integration.conftest import OPEN_SEAT, count, snapshot
from tests.web.conftest import CSRF, Site

RECEIPT = re.compile(r'id="receipt">([A-Z0-9-]+)<')


def ballot_open(
    site: Site, overrides: dict[str, object] | None = None, seats: int = 1
) -> tuple[int, list[int]]:
    """A vacancy whose ballot is open, with three candidates; returns its id and their nomination ids."""
    world = site.world
    vid = world.request(seats=seats, overrides={**OPEN_SEAT, **(overrides or {})})
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    ids = [world.nominate(vid, i, name) for i, name in [(0, "Ann Able"), (1, "Bob Baker"), (2, "Cat Cole")]]
    with world.app.db.transaction() as session:
        deadline = session.get_one(Vacancy, vid).nominations_close_at
    assert deadline is not None
    world.clock.set(deadline)
    world.fire_timers()
    assert world.status(vid) == "voting_open"
    return vid, ids


def cast(site: Site, path: str, fields: dict[str, str | list[str]]) -> httpx.Response:
    confirm = site.post(path, fields)
    assert confirm.status_code == 200, confirm.text[:300]
    match = CSRF.search(confirm.text)
    assert match is not None
    return site.browser.post(f"{path}/cast", data={**fields, "csrf_token": match.group(1)})


def test_a_plurality_ballot_is_confirmed_then_cast_once_with_a_receipt(site: Site) -> None:
    vid, ids = ballot_open(site)
    (_, path) = site.links("ballot_open")[0]
    page = site.browser.get(path)
    assert page.status_code == 200 and "Choose one candidate" in page.text
    assert page.text.count('type="radio"') == 3 and "<details><summary>Read Ann Able" in page.text
    before = snapshot(site.world.app.db)
    empty = site.post(path, {})
    assert empty.status_code == 400 and '<a href="#choices">Choose a candidate</a>' in empty.text
    confirm = site.post(path, {"choice": str(ids[1])})
    assert "Check your vote" in confirm.text and "<li>Bob Baker</li>" in confirm.text
    assert snapshot(site.world.app.db) == before  # nothing is cast before the confirmation
    done = cast(site, path, {"choice": str(ids[1])})
    assert done.status_code == 200
    receipt = RECEIPT.search(done.text)
    assert receipt is not None and re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", receipt.group(1))
    again = site.browser.get(path)
    assert again.status_code == 410 and "This link has already been used." in again.text
    with site.world.app.db.transaction() as session:
        [paper] = session.exec(select(BallotPaper)).all()
        assert (paper.choices, paper.receipt) == ([ids[1]], receipt.group(1))
        assert count(session, VoteRecord, VoteRecord.vacancy_id == vid) == 1


def test_a_ranked_ballot_refuses_shared_places_and_gaps(site: Site) -> None:
    _, ids = ballot_open(site, {"voting_method": {"one_seat": "av"}})
    (_, path) = site.links("ballot_open")[0]
    assert "Number the candidates in the order you prefer them" in site.browser.get(path).text
    cases = [
        ({}, "Put 1 beside your first choice"),
        (
            {f"rank-{ids[0]}": "1", f"rank-{ids[1]}": "1"},
            "Use each number once: two candidates cannot share a place",
        ),
        (
            {f"rank-{ids[0]}": "1", f"rank-{ids[1]}": "3"},
            "Number your choices 1, 2, 3 and so on, without gaps",
        ),
        ({f"rank-{ids[0]}": "first"}, "Give each candidate you rank a number"),
    ]
    for fields, message in cases:
        response = site.post(path, dict(fields))
        assert response.status_code == 400 and message in response.text, message
    done = cast(site, path, {f"rank-{ids[2]}": "1", f"rank-{ids[0]}": "2"})
    assert done.status_code == 200
    with site.world.app.db.transaction() as session:
        assert session.exec(select(BallotPaper.choices)).one() == [ids[2], ids[0]]


def test_a_block_ballot_takes_up_to_as_many_crosses_as_seats(site: Site) -> None:
    _, ids = ballot_open(site, {"voting_method": {"several_seats": "block"}}, seats=2)
    (_, path) = site.links("ballot_open")[0]
    assert "Choose up to 2 candidates" in site.browser.get(path).text
    too_many = site.post(path, {"choice": [str(i) for i in ids]})
    assert too_many.status_code == 400 and "Choose no more than 2 candidates" in too_many.text
    assert cast(site, path, {"choice": [str(ids[0]), str(ids[2])]}).status_code == 200


def test_an_organisation_that_voted_cannot_vote_again_with_a_reminders_link(site: Site) -> None:
    vid, ids = ballot_open(site)
    [(first_to, first)] = site.links("ballot_open")[:1]
    assert cast(site, first, {"choice": str(ids[0])}).status_code == 200
    site.world.fire(vid, "remind_voters")
    reminded = [to for to, _ in site.links("ballot_reminder")]
    assert first_to not in reminded and len(reminded) == 5


def test_the_ballot_is_secret_by_construction(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    """A whole election, then: nothing in the schema, the logs or the audit trail ties a ballot to a voter."""
    import io
    import logging

    from nominations.services.audit_export import export

    caplog.set_level(logging.DEBUG)
    vid, ids = ballot_open(site)
    for i, (_, path) in enumerate(site.links("ballot_open")[:4]):
        cast(site, path, {"choice": str(ids[i % 3])})
    site.world.fire(vid, "close_voting")
    site.world.fire_timers()
    site.world.fire(vid, "declare")
    site.world.fire(vid, "fill")
    engine = site.world.app.db.engine
    schema = inspect(engine)
    paper_columns = {c["name"] for c in schema.get_columns("ballotpaper")}
    register_columns = {c["name"] for c in schema.get_columns("voterecord")}
    assert paper_columns == {"id", "vacancy_id", "choices", "receipt"}  # no voter, no time, no sequence
    assert register_columns == {"vacancy_id", "organisation_id"}
    assert {fk["referred_table"] for fk in schema.get_foreign_keys("ballotpaper")} == {"vacancy"}
    with site.world.app.db.transaction() as session:
        papers = session.exec(select(BallotPaper)).all()
        votes = session.exec(select(AuditEvent).where(AuditEvent.action == "vote")).all()
    assert len(papers) == len(votes) == 4
    for event in votes:  # the record of who voted names the organisation and nothing of its ballot
        assert event.payload == f'{{"organisation_id":{event.actor_id}}}'
    trail = io.StringIO()
    export(site.world.app.db, trail, fmt="jsonl")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for paper in papers:  # no ballot's id or receipt in the audit trail or in any log line
        assert paper.id not in trail.getvalue() and paper.receipt not in trail.getvalue()
        assert paper.id not in logged and paper.receipt not in logged
    assert all(re.fullmatch(r"[0-9a-f]{32}", p.id) for p in papers)  # random ids, not a sequence


def test_results_are_published_only_when_declared_with_receipts_and_recount_files(site: Site) -> None:
    from nominations.counting.blt import parse_blt
    from nominations.counting.methods import count as recount

    vid, ids = ballot_open(site)
    receipts = []
    for i, (_, path) in enumerate(site.links("ballot_open")[:5]):
        done = cast(site, path, {"choice": str(ids[1] if i < 3 else ids[0])})
        match = RECEIPT.search(done.text)
        assert match is not None
        receipts.append(match.group(1))
    site.world.fire(vid, "close_voting")
    site.world.fire_timers()
    assert site.world.status(vid) == "counted"
    assert site.browser.get(f"/results/{vid}").status_code == 404  # counted but not declared
    site.world.fire(vid, "declare")
    page = site.browser.get(f"/results/{vid}")
    assert page.status_code == 200 and "<strong>Bob Baker</strong>" in page.text
    assert "<header>Test Network</header>" in page.text
    assert "5 of 6 member organisations voted" in page.text
    for code in receipts:
        assert f"<code>{code}</code>" in page.text
    blt = site.browser.get(f"/results/{vid}/ballots.blt")
    election = parse_blt(blt.text)
    assert election.candidates == ("Ann Able", "Bob Baker", "Cat Cole")
    assert recount(election, "plurality", "seed").winner_names() == ["Bob Baker"]
    rows = site.browser.get(f"/results/{vid}/ballots.csv").text.splitlines()
    assert rows[0] == "receipt,choice_1" and len(rows) == 6


def test_a_codes_only_protocol_publishes_receipts_without_choices(site: Site) -> None:
    vid, ids = ballot_open(site, {"receipts": "codes-only"})
    for _, path in site.links("ballot_open")[:2]:
        cast(site, path, {"choice": str(ids[0])})
    site.world.fire(vid, "close_voting")
    site.world.fire_timers()
    site.world.fire(vid, "declare")
    page = site.browser.get(f"/results/{vid}")
    assert "with its choices in order" not in page.text and page.text.count("<code>") == 2
    rows = site.browser.get(f"/results/{vid}/ballots.csv").text.splitlines()
    assert rows[0] == "choice_1" and all(not re.search(r"[A-Z0-9]{4}-", r) for r in rows)


@pytest.mark.slow
def test_200_concurrent_casts_with_duplicated_tokens_leave_one_ballot_per_token(site: Site) -> None:
    vid, ids = ballot_open(site)
    paths = [path for _, path in site.links("ballot_open")]
    clients, forms = [], []
    for i in range(200):  # every browser loads its ballot before anyone casts
        client = httpx.Client(base_url=site.url, timeout=120)
        path = paths[i % len(paths)]
        # Close the page's connection: setting up 200 browsers takes longer than the server keeps an
        # idle connection alive, and a cast sent down a connection the server has closed is reset.
        match = CSRF.search(client.get(path, headers={"Connection": "close"}).text)
        assert match is not None
        clients.append(client)
        forms.append((path, match.group(1)))
    barrier = threading.Barrier(len(clients))
    statuses: list[int | str] = []

    def go(client: httpx.Client, path: str, csrf: str) -> None:
        barrier.wait()
        try:
            response = client.post(f"{path}/cast", data={"choice": str(ids[0]), "csrf_token": csrf})
            statuses.append(response.status_code)
        except httpx.HTTPError as exc:  # recorded, so a failure says what happened
            statuses.append(repr(exc))

    threads = [threading.Thread(target=go, args=(c, p, t)) for c, (p, t) in zip(clients, forms, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for client in clients:
        client.close()
    tally = Counter(statuses)
    assert set(tally) == {200, 410}, tally
    assert tally[200] == len(paths) == 6, tally
    with site.world.app.db.transaction() as session:
        assert count(session, BallotPaper, BallotPaper.vacancy_id == vid) == 6
        assert count(session, VoteRecord, VoteRecord.vacancy_id == vid) == 6
        assert count(session, AuditEvent, col(AuditEvent.action) == "vote") == 6


def test_closing_the_ballot_erases_what_storage_says_about_casting_order_on_postgresql(site: Site) -> None:
    from sqlalchemy import text

    if site.world.app.db.dialect != "postgresql":
        pytest.skip("SQLite keeps ballot papers in random-id order from the start (WITHOUT ROWID)")
    world = site.world
    vid = world.request(overrides=OPEN_SEAT)
    world.fire(vid, "accept")
    world.fire(vid, "open_nominations")
    ids = [world.nominate(vid, i, f"N{i}") for i in range(2)]
    world.fire(vid, "close_nominations")
    world.fire_timers()
    cast_order = [world.vote(vid, i, [ids[i % 2]]) for i in range(6)]
    storage = "SELECT receipt, xmin::text AS tx FROM ballotpaper WHERE vacancy_id = :v ORDER BY ctid"
    with world.app.db.engine.connect() as conn:
        before = conn.execute(text(storage), {"v": vid}).all()
    assert [r.receipt for r in before] == cast_order  # the leak that sealing exists to erase
    world.fire(vid, "close_voting")
    with world.app.db.engine.connect() as conn:
        after = conn.execute(text(storage), {"v": vid}).all()
    assert sorted(r.receipt for r in after) == sorted(cast_order)
    assert len({r.tx for r in after}) == 1  # one transaction wrote them all: xmin says nothing
    orders = {tuple(r.receipt for r in after)}
    for _ in range(3):  # a shuffle can land on the cast order by chance (1 in 720): seal again to be sure
        if tuple(cast_order) not in orders:
            break
        with world.app.db.transaction() as session:
            from nominations.services.balloting import seal_ballots

            seal_ballots(session, vid)
        with world.app.db.engine.connect() as conn:
            orders = {tuple(r.receipt for r in conn.execute(text(storage), {"v": vid}))}
    assert tuple(cast_order) not in orders


def test_an_stv_result_shows_every_stage_and_the_candidates_hear_the_declaration(site: Site) -> None:
    vid, ids = ballot_open(site, {"voting_method": {"several_seats": "scottish-stv"}}, seats=2)
    ann, bob, cat = (str(i) for i in ids)
    rankings = [[ann, bob], [ann, bob], [ann, cat], [bob], [cat, bob], [cat]]
    for (_, path), ranking in zip(site.links("ballot_open"), rankings, strict=True):
        fields: dict[str, str | list[str]] = {f"rank-{c}": str(n + 1) for n, c in enumerate(ranking)}
        assert cast(site, path, fields).status_code == 200
    site.world.fire(vid, "close_voting")
    site.world.fire_timers()
    site.world.fire(vid, "declare")
    page = site.browser.get(f"/results/{vid}").text
    # Quota floor(6 / 3) + 1 = 3: Ann elected on firsts; her surplus of 0 is not moved; Bob (1) is
    # excluded and his paper passes to nobody; Cat (2) is the last continuing and is deemed elected.
    assert "The count, stage by stage" in page and "Quota: 3" in page
    assert "1. First preferences" in page
    assert "<strong>Ann Able</strong>" in page and "<strong>Cat Cole</strong>" in page
    assert "<strong>Bob Baker</strong>" not in page
    assert re.search(r"Excluded, nothing to transfer</th>(<td>[^<]*</td>)*<td>Bob Baker</td>", page)
    with site.world.app.db.transaction() as session:
        from nominations.db.models import OutboxMessage

        told = {
            m.to_email
            for m in session.exec(select(OutboxMessage).where(OutboxMessage.template == "result_declared"))
        }
    assert {"ann.able.0@example.org", "bob.baker.1@example.org", "cat.cole.2@example.org"} <= told


def test_a_ballot_link_after_the_close_says_the_ballot_is_closed_then_expired(site: Site) -> None:
    from datetime import timedelta

    vid, ids = ballot_open(site)
    (_, path) = site.links("ballot_open")[0]
    _, csrf = site.form(path)
    site.world.fire(vid, "close_voting")
    closed = site.browser.get(path)
    assert closed.status_code == 410 and "The ballot for this seat is closed." in closed.text
    late = site.browser.post(f"{path}/cast", data={"choice": str(ids[0]), "csrf_token": csrf})
    assert late.status_code == 410 and "The ballot for this seat is closed." in late.text
    site.world.clock.advance(timedelta(days=30))
    expired = site.browser.get(path)
    assert expired.status_code == 410 and "This link has expired." in expired.text
    with site.world.app.db.transaction() as session:
        assert count(session, BallotPaper, BallotPaper.vacancy_id == vid) == 0

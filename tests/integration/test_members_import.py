"""Importing and exporting the roll against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlmodel import select

from nominations.actors import Actor
from nominations.clock import FakeClock
from nominations.db.engine import Database
from nominations.db.models import AuditEvent, Network, Organisation, OrganisationContact
from nominations.errors import NotFoundError
from nominations.members.columns import FIELDS, MembersFileError
from nominations.members.csvformat import MAX_BYTES
from nominations.services import network_admin
from nominations.services.audit_verify import verify
from nominations.services.members import ImportReport, export_members, import_members
from tests.integration.conftest import count

FIXTURES = Path(__file__).parent.parent / "fixtures" / "members"
ACTOR = Actor("coordinator", "c1")


def add_network(db: Database, clock: FakeClock, name: str = "Safer Town VCS") -> int:
    return network_admin.add_network(db, clock, name, "Cora Ordinator", "cora@network.example", ACTOR)


def run(db: Database, clock: FakeClock, name: str | Path, **options: object) -> ImportReport:
    path = name if isinstance(name, Path) else FIXTURES / name
    return import_members(db, clock, path, actor=ACTOR, **options)  # type: ignore[arg-type]


def rows(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        return {
            "organisations": count(session, Organisation),
            "contacts": count(session, OrganisationContact),
            "audit": count(session, AuditEvent),
        }


def exported(db: Database, network: str | None = None) -> str:
    out = io.StringIO(newline="")
    export_members(db, out, network)
    return out.getvalue()


def orgs(db: Database) -> dict[str, Organisation]:
    with db.transaction() as session:
        return {o.name: o for o in session.exec(select(Organisation))}


def contacts(db: Database, org_id: int | None) -> list[tuple[str, str, str]]:
    with db.transaction() as session:
        query = select(OrganisationContact).where(OrganisationContact.organisation_id == org_id)
        return [(c.name, c.email, c.role) for c in session.exec(query.order_by(OrganisationContact.id))]  # type: ignore[arg-type]


def last_event(db: Database) -> AuditEvent:
    with db.transaction() as session:
        return session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()  # type: ignore[attr-defined,return-value]


def test_import_adds_every_member_and_writes_one_audit_event_without_personal_data(
    db: Database, clock: FakeClock
) -> None:
    network_id = add_network(db, clock)
    before = rows(db)
    report = run(db, clock, "good.csv")
    assert (report.added, report.updated, report.unchanged, report.written) == (5, 0, 0, True)
    assert rows(db) == {"organisations": 5, "contacts": 4, "audit": before["audit"] + 1}
    age = orgs(db)["Age Concern Town"]
    assert (age.status, age.external_id, age.contact_email) == ("active", "1100001", "ann@ageconcern.example")
    assert (age.interest_areas, age.equality_sectors) == (["older people", "health"], ["older"])
    assert contacts(db, age.id) == [
        ("Bob Baker", "bob@ageconcern.example", ""),
        ("", "carol@ageconcern.example", ""),
    ]
    assert orgs(db)["Youth Voice"].status == "active"  # a blank status on a new member
    event = last_event(db)
    ids = sorted(o.id for o in orgs(db).values() if o.id)
    assert (event.action, event.entity_type, event.entity_id) == (
        "members_import",
        "network",
        str(network_id),
    )
    assert json.loads(event.payload) == {
        "added": 5, "updated": 0, "unchanged": 0, "skipped": 0, "added_ids": ids, "updated_ids": [],
    }  # fmt: skip
    assert verify(db).ok


def test_reimporting_the_same_file_changes_nothing(db: Database, clock: FakeClock) -> None:
    add_network(db, clock)
    run(db, clock, "good.csv")
    roll, contact_rows = exported(db), contacts(db, orgs(db)["Age Concern Town"].id)
    report = run(db, clock, "good.csv")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert exported(db) == roll and rows(db)["organisations"] == 5
    assert contacts(db, orgs(db)["Age Concern Town"].id) == contact_rows
    assert json.loads(last_event(db).payload)["unchanged"] == 5


def test_an_edited_file_updates_by_external_id_or_email_and_leaves_absent_members_alone(
    db: Database, clock: FakeClock
) -> None:
    add_network(db, clock)
    run(db, clock, "good.csv")
    before = orgs(db)
    with db.transaction() as session:  # a role set elsewhere survives the file's new list
        for contact in session.exec(select(OrganisationContact)):
            if contact.email == "elodie@cafe.example":
                contact.role = "treasurer"
                session.add(contact)
    report = run(db, clock, "edited.csv")
    assert (report.added, report.updated, report.unchanged) == (1, 3, 1)
    after = orgs(db)
    assert len(after) == 6 and "Youth Voice" in after and "Town Mosque Trust" in after
    assert after["Age Concern Town & District"].id == before["Age Concern Town"].id  # by external id
    wa = after["Women's Aid Town"]  # no external id: by email, in another case
    assert (wa.id, wa.status, wa.contact_email) == (
        before["Women's Aid Town"].id,
        "active",
        "wendy@WOMENSAID.example",
    )
    assert contacts(db, after["Café Commun, Town"].id) == [
        ("Pat Quinn", "pat@cafe.example", ""),
        ("", "elodie@cafe.example", "treasurer"),
    ]
    payload = json.loads(last_event(db).payload)
    assert payload["added_ids"] == [after["Town Mosque Trust"].id]
    updated = (after["Age Concern Town & District"], wa, after["Café Commun, Town"])
    assert sorted(payload["updated_ids"]) == sorted(o.id or 0 for o in updated)


def test_a_bad_file_writes_nothing_and_reports_every_bad_row(db: Database, clock: FakeClock) -> None:
    add_network(db, clock)
    before = rows(db)
    report = run(db, clock, "bad.csv")
    assert not report.written and [p.line for p in report.problems] == list(range(3, 13))
    assert rows(db) == before


def test_skip_bad_writes_the_good_rows(db: Database, clock: FakeClock) -> None:
    add_network(db, clock)
    report = run(db, clock, "bad.csv", skip_bad=True)
    assert report.written and report.added == 1 and len(report.problems) == 10
    assert list(orgs(db)) == ["Age Concern Town"]
    assert json.loads(last_event(db).payload)["skipped"] == 10


def test_a_dry_run_reports_and_writes_nothing(db: Database, clock: FakeClock) -> None:
    add_network(db, clock)
    before = rows(db)
    report = run(db, clock, "good.csv", dry_run=True)
    assert (report.added, report.written) == (5, False)
    assert rows(db) == before


def test_members_may_swap_voting_contacts_in_one_import(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock)
    run(db, clock, "good.csv")
    swapped = tmp_path / "swap.csv"
    swapped.write_text(
        "external_id,name,voting_contact_email\n1100001,Age Concern Town,zoe@cafe.example\n"
        '1100003,"Café Commun, Town",ann@ageconcern.example\n',
        encoding="utf-8",
    )
    assert run(db, clock, swapped).updated == 2
    after = orgs(db)
    assert after["Age Concern Town"].contact_email == "zoe@cafe.example"
    assert after["Café Commun, Town"].contact_email == "ann@ageconcern.example"


def test_a_clash_with_the_roll_is_a_bad_row_and_writes_nothing(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock)
    run(db, clock, "good.csv")
    before, roll = rows(db), exported(db)
    clash = tmp_path / "clash.csv"
    clash.write_text("external_id,name,voting_contact_email\n1100001,Age Concern Town,dev@tdf.example\n")
    report = run(db, clock, clash)
    assert [str(p) for p in report.problems] == [
        "line 2: voting contact email dev@tdf.example is already that of another member, "
        "'Town Disability Forum', which keeps it"
    ]
    assert rows(db) == before and exported(db) == roll


def test_export_then_import_on_an_empty_network_then_export_gives_the_same_file(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock, "First")
    run(db, clock, "good.csv", network="First")
    first = exported(db, "First")
    assert first.splitlines()[0] == ",".join(FIELDS)
    (tmp_path / "roll.csv").write_text(first, encoding="utf-8", newline="")
    add_network(db, clock, "Second")
    assert run(db, clock, tmp_path / "roll.csv", network="Second").added == 5
    assert exported(db, "Second") == first


def test_the_same_people_may_be_members_of_two_networks(db: Database, clock: FakeClock) -> None:
    add_network(db, clock, "First")
    add_network(db, clock, "Second")
    run(db, clock, "good.csv", network="First")
    assert run(db, clock, "good.csv", network="2").added == 5
    assert rows(db)["organisations"] == 10


def test_an_oversized_file_is_refused_before_it_is_read(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    add_network(db, clock)
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no 50 MB written
    before = rows(db)
    with pytest.raises(MembersFileError) as caught:
        run(db, clock, big)
    assert (
        str(caught.value)
        == f"{big}: the file is 50.0 MB, over the 50 MB limit; split it and import the parts"
    )
    assert rows(db) == before


@pytest.mark.parametrize(
    ("network", "message"),
    [
        (None, "there are 2 networks; say which with --network (1 First, 2 Second)"),
        ("Third", "no network 'Third' (networks: 1 First, 2 Second)"),
        ("7", "no network '7' (networks: 1 First, 2 Second)"),
    ],
)
def test_an_unknown_or_unnamed_network_is_refused(
    db: Database, clock: FakeClock, network: str | None, message: str
) -> None:
    add_network(db, clock, "First")
    add_network(db, clock, "Second")
    before = rows(db)
    with pytest.raises(NotFoundError) as caught:
        run(db, clock, "good.csv", network=network)
    assert str(caught.value) == message and rows(db) == before


def test_without_networks_import_says_to_add_one(db: Database, clock: FakeClock) -> None:
    with pytest.raises(
        NotFoundError, match=r"^there is no network yet: add one with `nominations network add`$"
    ):
        run(db, clock, "good.csv")


def test_networks_are_added_listed_and_found_by_name_in_any_case_or_id(
    db: Database, clock: FakeClock
) -> None:
    first = add_network(db, clock, "First")
    run(db, clock, "good.csv")
    second = add_network(db, clock, "Second")
    assert [(n.id, n.name, n.members) for n in network_admin.list_networks(db)] == [
        (first, "First", 5),
        (second, "Second", 0),
    ]
    event = last_event(db)  # the coordinator's name and email stay out of the chain
    assert (event.action, event.entity_id, event.payload) == ("network_add", str(second), "{}")
    with db.transaction() as session:
        assert network_admin.find_network(session, "  sEcOnD ").id == second
        assert network_admin.find_network(session, str(first)).name == "First"


@pytest.mark.parametrize(
    ("name", "coordinator", "email", "message"),
    [
        ("FIRST", "Cora", "cora@x.org", "a network named 'First' already exists (id 1)"),
        ("  ", "Cora", "cora@x.org", "a network needs a name"),
        ("Other", "", "cora@x.org", "a network needs a coordinator name"),
        ("Other", "Cora", "cora at x", "coordinator email 'cora at x' is not an email address"),
    ],
)
def test_a_bad_network_is_refused_and_nothing_written(
    db: Database, clock: FakeClock, name: str, coordinator: str, email: str, message: str
) -> None:
    add_network(db, clock, "First")
    before = rows(db)
    with pytest.raises(network_admin.NetworkRefusedError) as caught:
        network_admin.add_network(db, clock, name, coordinator, email, ACTOR)
    assert str(caught.value) == message
    assert rows(db) == before
    with db.transaction() as session:
        assert count(session, Network) == 1


def test_ten_thousand_rows_import_and_update_in_bulk(db: Database, clock: FakeClock, tmp_path: Path) -> None:
    add_network(db, clock)
    big = tmp_path / "big.csv"

    def write(status: str) -> None:
        lines = [",".join(FIELDS)] + [
            f"X{i},Org {i},{status},Contact {i},c{i}@org{i}.example,Other <o{i}@org{i}.example>,area,women"
            for i in range(10_000)
        ]
        big.write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("active")
    assert run(db, clock, big).added == 10_000
    write("lapsed")
    report = run(db, clock, big)
    assert (report.added, report.updated, report.unchanged) == (0, 10_000, 0)
    assert rows(db)["contacts"] == 10_000
    with db.transaction() as session:
        assert count(session, Organisation, Organisation.status == "lapsed") == 10_000

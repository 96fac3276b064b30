"""Partnership contacts over HTTP: file a request with a PDF, follow it, see only their own, answer."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from html import unescape

import httpx
import pytest
from sqlmodel import col, select

from nominations.actors import Actor
from nominations.db.document_models import TermsDocument
from nominations.db.models import AuditEvent, Network, OutboxMessage, Partnership, Vacancy
from nominations.documents import PDF_LIMIT
from tests.integration.conftest import REQUEST, count, snapshot
from tests.utils.console import sign_in_as
from tests.web.conftest import CSRF, Site

NEW = "/console/requests/new"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONTACT = "sam@council.example"  # a partnership contact other than the one on the partnership's record
COMPLETE: dict[str, str] = {
    "title": "VCS representative on the Safer Town Partnership",
    "terms_of_reference": "Reduce crime and the fear of crime in the borough.",
    "membership_details": "Council, police, fire, probation, health; one seat for the sector.",
    "knowledge_skills": "Community safety; speaking for small groups.",
    "time_commitment": "6 hours a month",
    "meeting_schedule": "Second Tuesday of every other month, Town Hall",
    "kind": "representative",
    "seats": "2",
    "term_months": "36",
    "equality_sector": "women",
}


def send(
    site: Site, fields: dict[str, str], pdf: bytes | None = None, name: str = "terms.pdf"
) -> httpx.Response:
    """Send the request form as a browser does: multipart, with an empty file part when none is chosen."""
    _, csrf = site.form(NEW)
    upload = (name, pdf, "application/pdf") if pdf is not None else ("", b"", "application/octet-stream")
    return site.browser.post(NEW, data={**fields, "csrf_token": csrf}, files={"terms_pdf": upload})


def written(site: Site) -> dict[str, int]:
    """Everything filing a request writes: the vacancy, the PDF, audit events, mail, timers."""
    with site.world.app.db.transaction() as session:
        rows = {"vacancies": count(session, Vacancy), "pdfs": count(session, TermsDocument)}
    return {**snapshot(site.world.app.db), **rows}


def vacancies(site: Site) -> list[Vacancy]:
    with site.world.app.db.transaction() as session:
        return list(session.exec(select(Vacancy).order_by(col(Vacancy.id))).all())


def mail(site: Site, template: str) -> list[OutboxMessage]:
    with site.world.app.db.transaction() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == template)
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def events(site: Site, vacancy_id: int) -> list[AuditEvent]:
    with site.world.app.db.transaction() as session:
        query = select(AuditEvent).where(
            AuditEvent.entity_type == "vacancy", AuditEvent.entity_id == str(vacancy_id)
        )
        return list(session.exec(query.order_by(col(AuditEvent.seq))).all())


def other_partnership(site: Site, network_id: int | None = None) -> int:
    with site.world.app.db.transaction() as session:
        other = Partnership(
            network_id=network_id or site.world.network_id,
            name="Health and Wellbeing Board",
            contact_name="Hal Board",
            contact_email="hal@health.example",
        )
        session.add(other)
        session.flush()
        assert other.id is not None
        return other.id


def summary(page: httpx.Response) -> list[tuple[str, str]]:
    """The error summary's links: (field, message), in order."""
    box = page.text.split('<div class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(field, unescape(text)) for field, text in re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', box)]


def test_a_partnership_contact_files_a_complete_request_with_its_terms_as_a_pdf(site: Site) -> None:
    user_id = sign_in_as(site, "partnership", CONTACT, partnership_id=site.world.partnership_id)
    landing = site.browser.get("/console")
    assert landing.url.path == "/console/requests" and "There are no requests yet" in landing.text
    form = site.browser.get(NEW)
    assert 'enctype="multipart/form-data"' in form.text and "Safer Town Partnership" in form.text

    done = send(site, COMPLETE, PDF, name="C:\\Users\\pat\\Safer Town ToR.pdf")
    [vacancy] = vacancies(site)
    assert vacancy.id is not None
    assert done.status_code == 200 and done.url.path == f"/console/requests/{vacancy.id}"
    reference = f"V-{vacancy.id:04d}"
    assert "Request sent" in done.text and reference in done.text

    assert vacancy.status == "requested" and vacancy.workflow == "vacancy"
    assert vacancy.partnership_id == site.world.partnership_id
    for name in ("title", "terms_of_reference", "membership_details", "knowledge_skills"):
        assert getattr(vacancy, name) == COMPLETE[name]
    assert (vacancy.time_commitment, vacancy.meeting_schedule) == (
        "6 hours a month",
        COMPLETE["meeting_schedule"],
    )
    assert (vacancy.kind, vacancy.seats, vacancy.term_months, vacancy.equality_sector) == (
        "representative",
        2,
        36,
        "women",
    )

    with site.world.app.db.transaction() as session:
        document = session.get_one(TermsDocument, vacancy.id)
    assert document.content == PDF and document.filename == "Safer Town ToR.pdf"
    request_event, attach = events(site, vacancy.id)
    assert (request_event.action, request_event.to_state) == ("request", "requested")
    assert (attach.actor_type, attach.actor_id) == ("partnership", f"user:{user_id}")
    assert json.loads(attach.payload) == {"sha256": hashlib.sha256(PDF).hexdigest(), "bytes": len(PDF)}

    acknowledgements = mail(site, "request_received")
    assert sorted(m.to_email for m in acknowledgements) == ["pat@council.example", CONTACT]
    for message in acknowledgements:
        assert reference in message.subject and reference in message.text_body
        assert f"{site.url}/console/requests/{vacancy.id}" in message.text_body
        assert "Safer Town ToR.pdf" in message.html_body

    listing = site.browser.get("/console/requests")
    assert reference in listing.text and COMPLETE["title"] in listing.text
    assert (
        "Requested" in listing.text and "A partnership has asked the network to fill a seat." in listing.text
    )
    pdf = site.browser.get(f"/console/requests/{vacancy.id}/terms.pdf")
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    assert "ToR" not in pdf.headers["content-disposition"]  # the uploaded name never reaches a header


def test_an_expert_request_with_its_terms_only_as_a_pdf_takes_the_expert_route(site: Site) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    fields = {**COMPLETE, "kind": "expert", "terms_of_reference": "", "equality_sector": "", "seats": "1"}
    done = send(site, fields, PDF, name="tor.pdf")
    assert done.status_code == 200, done.text
    [vacancy] = vacancies(site)
    assert (vacancy.workflow, vacancy.kind, vacancy.equality_sector) == ("expert", "expert", None)
    # The calls for nominations quote this text: it says where the terms are, never nothing.
    assert "tor.pdf" in vacancy.terms_of_reference
    assert "tor.pdf (PDF)" in done.text


def test_a_partnership_contact_sees_only_their_own_partnerships_requests(site: Site) -> None:
    other = other_partnership(site)
    theirs = site.world.app.participation.request_seat(
        other, replace(REQUEST, title="Health seat"), Actor("partnership", "hb")
    )
    with site.world.app.db.transaction() as session:
        session.add(
            TermsDocument(
                vacancy_id=theirs,
                filename="hb.pdf",
                size=len(PDF),
                sha256="0" * 64,
                content=PDF,
                uploaded_at=site.world.clock.now(),
            )
        )
    ours = site.world.request()
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)

    listing = site.browser.get("/console/requests")
    assert f"V-{ours:04d}" in listing.text and "Health seat" not in listing.text
    assert f"V-{theirs:04d}" not in listing.text
    assert site.browser.get(f"/console/requests/{ours}").status_code == 200
    assert site.browser.get(f"/console/requests/{theirs}").status_code == 404
    assert site.browser.get(f"/console/requests/{theirs}/terms.pdf").status_code == 404
    refused = site.post(
        f"/console/requests/{theirs}/resubmit", {"answer": "x"}, from_page="/console/requests"
    )
    assert refused.status_code == 404

    # The refusals are about whose seat it is: the network's coordinator sees and opens it.
    sign_in_as(site, "coordinator")
    assert "Health seat" in site.browser.get("/console/requests").text
    assert site.browser.get(f"/console/requests/{theirs}/terms.pdf").content == PDF


def test_each_missing_or_wrong_field_is_named_the_values_kept_and_nothing_written(site: Site) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    before = written(site)
    expected = {
        "title": "Enter the title of the seat",
        "terms_of_reference": "Enter the partnership's terms of reference, or upload them as a PDF",
        "membership_details": "Enter who sits on the partnership",
        "knowledge_skills": "Enter the knowledge, skills and experience the seat needs",
        "time_commitment": "Enter the time the seat takes, for example 6 hours a month",
        "meeting_schedule": "Enter when and where the partnership meets",
        "kind": "Select whether you want a representative or an expert",
        "seats": "Enter the number of seats",
        "term_months": "Enter the length of the term in months",
    }
    for name, message in expected.items():
        page = send(site, {**COMPLETE, name: "   "} if name != "kind" else {**COMPLETE, "kind": ""})
        assert page.status_code == 400, name
        assert summary(page) == [(name, message)], name
        assert f'id="{name}-error"' in page.text, name
        kept = "title" if name != "title" else "knowledge_skills"
        assert COMPLETE[kept] in page.text, name
        assert (
            'value="representative" aria-describedby="kind-item-hint" checked' in page.text or name == "kind"
        )
    wrong = {
        "seats": ("two", "The number of seats must be a whole number from 1 to 10"),
        "term_months": ("61", "The term must be a whole number from 1 to 60"),
        "equality_sector": ("aliens", "Select an equality sector from the list, or none"),
        "title": ("x" * 201, "Title of the seat must be 200 characters or fewer"),
    }
    for name, (value, message) in wrong.items():
        page = send(site, {**COMPLETE, name: value})
        assert page.status_code == 400 and summary(page) == [(name, message)], name
    everything = send(site, {})
    assert [field for field, _ in summary(everything)] == list(expected)
    assert written(site) == before and before["vacancies"] == 0


def test_a_file_that_is_not_a_pdf_and_an_oversized_pdf_are_refused_with_nothing_written(site: Site) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    before = written(site)
    fake = send(site, {**COMPLETE, "terms_of_reference": ""}, b"<html><script>alert(1)</script></html>")
    assert fake.status_code == 400
    assert summary(fake) == [
        (
            "terms_pdf",
            "The file you chose is not a PDF. Save the terms of reference as a PDF, or paste them as text",
        )
    ]
    big = send(site, COMPLETE, b"%PDF-1.7\n" + b"0" * PDF_LIMIT)
    assert big.status_code == 400
    assert summary(big) == [
        ("terms_pdf", "The PDF must be 5 MB or smaller. Paste the terms of reference as text instead")
    ]
    empty = send(site, COMPLETE, b"")
    assert summary(empty) == [
        ("terms_pdf", "The file you chose is empty. Choose the PDF of the terms of reference")
    ]
    # A good PDF with another problem: the browser will not send the file back, so the page says so.
    again = send(site, {**COMPLETE, "title": ""}, PDF)
    assert [field for field, _ in summary(again)] == ["title", "terms_pdf"]
    assert "Choose the PDF again" in again.text
    assert written(site) == before and before["vacancies"] == 0


def test_only_the_request_form_takes_more_than_1_mb(site: Site) -> None:
    sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    _, csrf = site.form(NEW)
    huge = site.browser.post(
        NEW,
        data={**COMPLETE, "csrf_token": csrf},
        files={"terms_pdf": ("t.pdf", b"%PDF-" + b"0" * 7_000_000)},
    )
    assert huge.status_code == 413 and "over 6 MB" in huge.text
    elsewhere = site.browser.post("/console/accounts", data={"csrf_token": csrf, "name": "x" * 1_100_000})
    assert elsewhere.status_code == 413 and "over 1 MB" in elsewhere.text
    within = send(site, COMPLETE, PDF + b"%" + b"0" * 2_000_000)  # over 1 MB, under the PDF limit
    assert within.status_code == 200 and len(vacancies(site)) == 1


def test_a_partnership_contact_answers_the_coordinators_question_and_resubmits(site: Site) -> None:
    vacancy_id = site.world.request()
    site.world.fire(
        vacancy_id, "ask_for_information", reason="Please send the partnership's terms of reference."
    )
    user_id = sign_in_as(site, "partnership", partnership_id=site.world.partnership_id)
    page = site.browser.get(f"/console/requests/{vacancy_id}")
    assert "Please send the partnership&#39;s terms of reference." in page.text
    assert "Information requested" in page.text

    before = written(site)
    empty = site.post(
        f"/console/requests/{vacancy_id}/resubmit", {"answer": " "}, f"/console/requests/{vacancy_id}"
    )
    assert empty.status_code == 400 and summary(empty) == [
        ("answer", "Enter the information the coordinator asked for")
    ]
    assert written(site) == before

    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    answer = "They are on the council's website: /safer-town/terms."
    done = site.post(
        f"/console/requests/{vacancy_id}/resubmit",
        {"answer": answer, "version": version.group(1)},
        f"/console/requests/{vacancy_id}",
    )
    assert done.status_code == 200 and site.world.status(vacancy_id) == "requested"
    last = events(site, vacancy_id)[-1]
    assert (last.action, last.actor_type, last.actor_id, last.reason) == (
        "resubmit",
        "partnership",
        f"user:{user_id}",
        answer,
    )
    assert [m.to_email for m in mail(site, "request_resubmitted")] == ["coordinator@network.example"]

    # The same form sent twice: the second is refused, clearly, and changes nothing.
    site.world.fire(vacancy_id, "ask_for_information", reason="And the membership list, please.")
    before = written(site)
    stale = site.browser.post(
        f"/console/requests/{vacancy_id}/resubmit",
        data={"answer": answer, "version": version.group(1), "csrf_token": CSRF.findall(page.text)[0]},
    )
    assert stale.status_code == 409 and "has changed since you opened this page" in stale.text
    assert written(site) == before and site.world.status(vacancy_id) == "information_requested"


def test_an_auditor_reads_requests_but_may_not_file_or_resubmit_one(site: Site) -> None:
    vacancy_id = site.world.request()
    site.world.fire(vacancy_id, "ask_for_information", reason="Which meetings?")
    sign_in_as(site, "auditor")
    page = site.browser.get(f"/console/requests/{vacancy_id}")
    assert page.status_code == 200 and "Which meetings?" in page.text and "/resubmit" not in page.text
    assert site.browser.get(NEW).status_code == 403
    refused = site.post(f"/console/requests/{vacancy_id}/resubmit", {"answer": "x"}, "/console/requests")
    assert refused.status_code == 403 and "You may not do this" in refused.text
    assert site.world.status(vacancy_id) == "information_requested"


def test_a_coordinator_files_a_request_for_a_partnership_of_their_network_only(site: Site) -> None:
    with site.world.app.db.transaction() as session:  # a second network, whose partnership is not theirs
        network = Network(name="Other Network", coordinator_name="O", coordinator_email="o@other.example")
        session.add(network)
        session.flush()
        other_network = network.id
    foreign = other_partnership(site, other_network)
    sign_in_as(site, "coordinator")
    form = site.browser.get(NEW)
    assert "Safer Town Partnership" in form.text and "Health and Wellbeing Board" not in form.text
    before = written(site)
    for choice in ("", str(foreign), "abc"):
        page = send(site, {**COMPLETE, "partnership": choice})
        assert page.status_code == 400 and summary(page) == [
            ("partnership", "Select the partnership the seat is on")
        ], choice
    assert written(site) == before
    done = send(site, {**COMPLETE, "partnership": str(site.world.partnership_id)})
    assert done.status_code == 200
    [vacancy] = vacancies(site)
    assert vacancy.partnership_id == site.world.partnership_id
    assert [m.to_email for m in mail(site, "request_received")] == ["pat@council.example"]


@pytest.mark.parametrize("path", ["/console/requests", NEW])
def test_the_request_pages_ask_a_stranger_to_sign_in(site: Site, path: str) -> None:
    page = site.browser.get(path)
    assert page.status_code == 303 and page.headers["location"].startswith("/sign-in?next=")

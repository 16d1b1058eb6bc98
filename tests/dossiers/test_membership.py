"""Joining for an edition: fee from the edition's terms, gapless invoice numbers, PDF, payment."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from arobase.dossiers import membership
from arobase.dossiers.models import Membership
from arobase.territories.models import Territory


def test_join_creates_a_numbered_invoice(world, client):
    client.force_login(world.correspondent)
    response = client.get("/espace/59368/adhesion/2027/")
    assert "1089.50" in response.content.decode().replace("&#x27;", "'") or "1 089,50" in response.content.decode().replace("&#x27;", "'") or "1089,50" in response.content.decode().replace("&#x27;", "'")
    client.post("/espace/59368/adhesion/2027/")
    first = Membership.objects.get(territory=world.madeleine)
    assert first.invoice_number == "FA-2027-0001" and first.fee == Decimal("1089.50") and first.status == "due"
    client.post("/espace/59368/adhesion/2027/")  # twice: still one membership
    assert Membership.objects.filter(territory=world.madeleine).count() == 1
    client.force_login(world.other)
    client.post("/espace/34145/adhesion/2027/")
    assert Membership.objects.get(territory=world.lunel).invoice_number == "FA-2027-0002"


def test_fee_follows_the_edition_terms(world):
    world.edition.fee_rate, world.edition.fee_min, world.edition.fee_max = Decimal("0.10"), Decimal("100"), Decimal("1000")
    world.edition.save()
    assert membership.join(world.edition, world.madeleine, world.correspondent).fee == Decimal("1000.00")
    village = Territory.objects.filter(kind="commune", population__lt=200).order_by("code").first()
    assert membership.join(world.edition, village, world.staff).fee == Decimal("100.00")


def test_api_fee_uses_the_current_year_edition(world, client, settings):
    from django.utils import timezone

    from arobase.labels.models import Edition

    year = timezone.localdate().year
    Edition.objects.update_or_create(year=year, defaults={"fee_rate": Decimal("0.01")})
    assert client.get("/api/v1/territories/59368").json()["membership_fee"] == "217.90"


def test_departements_do_not_join(world):
    departement = Territory.objects.get(kind="departement", code="59")
    with pytest.raises(membership.MembershipError, match="Seules les communes"):
        membership.join(world.edition, departement, world.staff)


def test_invoice_pdf(world, client):
    membership.join(world.edition, world.madeleine, world.correspondent)
    client.force_login(world.correspondent)
    response = client.get("/espace/59368/adhesion/2027/facture.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "FA-2027-0001.pdf" in response["Content-Disposition"]
    import io

    from pypdf import PdfReader  # noqa: PLC0415

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ["FA-2027-0001", "La Madeleine", "59368", "21790", "mille quatre-vingt-neuf euros et cinquante centimes", "2023"]:
        assert expected in text.replace("\u202f", "").replace("\xa0", " ")


def test_staff_record_payment_or_waiver(world, client):
    m = membership.join(world.edition, world.madeleine, world.correspondent)
    client.force_login(world.correspondent)
    assert client.post("/espace/59368/adhesion/2027/paiement/", {"decision": "payment", "paid_on": "2026-11-01", "reference": "VIR-1"}).status_code == 403
    client.force_login(world.staff)
    response = client.post("/espace/59368/adhesion/2027/paiement/", {"decision": "payment", "paid_on": "", "reference": ""}, follow=True)
    assert "indiquez sa date et sa référence" in response.content.decode().replace("&#x27;", "'")
    client.post("/espace/59368/adhesion/2027/paiement/", {"decision": "payment", "paid_on": "2026-11-01", "reference": "VIR-1"})
    m.refresh_from_db()
    assert m.status == "payee" and m.payment_reference == "VIR-1"
    client.post("/espace/59368/adhesion/2027/paiement/", {"decision": "waiver", "reason": "Commune sinistrée"})
    m.refresh_from_db()
    assert m.status == "exoneree" and m.waiver_reason == "Commune sinistrée"
    client.force_login(world.correspondent)
    assert "exonérée" in client.get("/espace/59368/adhesion/2027/").content.decode().replace("&#x27;", "'")


def test_invoice_numbers_gapless_under_concurrency(django_db_setup, django_db_blocker):
    """Eight towns join at once (threads, each its own connection, committed data):
    numbers 1..8, no gap, no duplicate. Outside the test transaction, so cleaned by hand."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    from arobase.dossiers.models import InvoiceCounter
    from arobase.journal.models import Entry
    from arobase.labels.models import Edition

    with django_db_blocker.unblock():
        edition = Edition.objects.create(year=2090, phase="candidatures")
        towns = list(Territory.objects.filter(kind="commune", population__gt=5000).order_by("code")[:8])
        barrier = threading.Barrier(len(towns))
        errors = []

        def join(town):
            try:
                barrier.wait()
                membership.join(edition, town, None)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        try:
            threads = [threading.Thread(target=join, args=(town,)) for town in towns]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors
            numbers = sorted(Membership.objects.filter(edition=edition).values_list("invoice_number", flat=True))
            assert numbers == [f"FA-2090-{n:04d}" for n in range(1, len(towns) + 1)]
        finally:
            Membership.objects.filter(edition=edition).delete()
            InvoiceCounter.objects.filter(edition=edition).delete()
            Entry.objects.filter(verb__startswith="adhésion 2090").delete()
            edition.delete()

"""The objects `scripts/bench.py` measures, read from whatever data is loaded: the most
labelled commune and EPCI of the latest palmarès, their département and région, a
submitted dossier of the newest edition with one of its correspondents, and a jury member.
Runs inside Django (`django.setup()` done by the caller)."""

from django.db.models import Count

from arobase.accounts.models import Attachment, Role
from arobase.dossiers.models import Dossier
from arobase.labels.models import Label
from arobase.territories import rules as territory_rules


def _most_labelled(kind):
    return (Label.objects.filter(territory__kind=kind).values("territory__code").annotate(n=Count("pk"))
            .order_by("-n", "territory__code").values_list("territory__code", flat=True).first())


def facts():
    found = {}
    year = Label.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()
    if year:
        found["year"] = year
    commune = _most_labelled(territory_rules.COMMUNE)
    if commune:
        found["commune"] = commune
        place = Label.objects.filter(territory__code=commune, territory__kind=territory_rules.COMMUNE).values_list(
            "territory__departement__code", "territory__region__code").first()
        found["departement"], found["region"] = place
    epci = _most_labelled(territory_rules.EPCI)
    if epci:
        found["epci"] = epci
    followed = Attachment.objects.filter(status=Attachment.APPROVED).values("territory_id")
    dossier = (Dossier.objects.exclude(submitted_at=None).filter(territory__in=followed)
               .order_by("-edition_id", "territory__code").select_related("territory").first())
    if dossier:
        found["dossier_code"], found["dossier_year"] = dossier.territory.code, dossier.edition_id
        found["correspondent"] = Attachment.objects.filter(territory=dossier.territory, status=Attachment.APPROVED).first().user
    jury = Role.objects.filter(kind=Role.JURY).select_related("user").order_by("pk").first()
    if jury:
        found["jury"] = jury.user
    return found

"""The national referential, readable by everyone (/referentiel/)."""

from django.shortcuts import render

from arobase.core.numbers import parse_year
from arobase.referential import loading


def referential_page(request):
    years = sorted(set(loading.Axe.objects.values_list("edition_id", flat=True)), reverse=True)
    asked = parse_year(request.GET.get("edition", ""))
    year = asked if asked in years else (years[0] if years else None)
    axes = loading.tree(year) if year else []
    service_count = sum(len(usage.services.all()) for axe in axes for enjeu in axe.enjeux.all() for usage in enjeu.usages.all())
    return render(request, "public/referential.html", {"year": year, "years": years, "axes": axes, "service_count": service_count})

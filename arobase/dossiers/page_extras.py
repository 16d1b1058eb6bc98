"""What later stages of the season add to a dossier's page (its result, certificate
and appeal): the apps above register a provider here, so that dossiers never imports
them."""

PROVIDERS = []


def provide(function):
    """Register `function(request, edition, dossier, now) -> dict` for the dossier page."""
    if function not in PROVIDERS:
        PROVIDERS.append(function)
    return function


def context(request, edition, dossier, now):
    extras = {}
    for provider in PROVIDERS:
        extras.update(provider(request, edition, dossier, now))
    return extras

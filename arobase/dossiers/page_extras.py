"""What later stages of the season add to a dossier's page (its result, certificate
and appeal): the apps above register a panel here, a template and the function that
gives its context, so that dossiers never imports them nor knows what they show."""

PANELS = []


def provide(template, function):
    """Show `template` on the dossier page, with `function(request, edition, dossier, now)`'s
    dict in its context (an empty dict: the panel has nothing to show)."""
    if (template, function) not in PANELS:
        PANELS.append((template, function))


def context(request, edition, dossier, now):
    extras, shown = {}, []
    for template, function in PANELS:
        if found := function(request, edition, dossier, now):
            extras.update(found)
            shown.append(template)
    return {**extras, "page_panels": shown}

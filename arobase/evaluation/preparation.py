"""The Conseil d'Orientation prepares the next edition: copies the referential, the
grid, the questionnaire and the open mentions, edits them, reviews the changes as a
diff, and freezes them."""

from django.db import transaction

from arobase.dossiers.models import Question
from arobase.journal.records import record
from arobase.labels import season
from arobase.labels.models import Edition
from arobase.referential import loading
from arobase.referential.models import Axe, Enjeu, Service, Usage

from .models import Criterion


class PreparationError(Exception):
    """A refusal; str() is the French reason."""


def source_year(year):
    """The edition to copy from: the latest earlier one with a grid or a referential."""
    years = set(Criterion.objects.filter(edition_id__lt=year).values_list("edition_id", flat=True))
    years |= set(Axe.objects.filter(edition_id__lt=year).values_list("edition_id", flat=True))
    return max(years) if years else None


@transaction.atomic
def prepare(year, by):
    """Copy what the edition lacks from the previous one; returns what was copied."""
    edition, _ = Edition.objects.get_or_create(year=year, defaults={"phase": season.PREPARATION})  # a new edition is prepared first
    if edition.frozen_at:
        raise PreparationError("La préparation de cette édition est figée.")
    source = source_year(year)
    if source is None:
        raise PreparationError("Aucune édition précédente à copier.")
    copied = []
    if not Axe.objects.filter(edition=edition).exists() and Axe.objects.filter(edition_id=source).exists():
        loading.copy_forward(source, year)
        copied.append("référentiel")
    if not edition.criteria.exists():
        axes = dict(Axe.objects.filter(edition=edition).values_list("slug", "pk"))
        enjeux = dict(Enjeu.objects.filter(edition=edition).values_list("slug", "pk"))
        for old in Criterion.objects.filter(edition_id=source).prefetch_related("axes", "enjeux"):
            new = Criterion.objects.create(edition=edition, name=old.name, description=old.description, weight=old.weight,
                                           scale_max=old.scale_max, required=old.required, position=old.position)
            new.axes.set([axes[a.slug] for a in old.axes.all() if a.slug in axes])
            new.enjeux.set([enjeux[e.slug] for e in old.enjeux.all() if e.slug in enjeux])
        copied.append("grille")
    if not Question.objects.filter(edition=edition).exists():
        Question.objects.bulk_create(
            Question(edition=edition, category=q.category, text=q.text, help_text=q.help_text, required=q.required, position=q.position)
            for q in Question.objects.filter(edition_id=source)
        )
        copied.append("questionnaire")
    if not edition.mentions.exists():
        edition.mentions.set(Edition.objects.get(pk=source).mentions.all() if Edition.objects.filter(pk=source).exists() else [])
        copied.append("mentions")
    record(by, f"copie depuis {source} : {', '.join(copied) or 'rien à copier'}", edition=edition, subject="préparation")
    return source, copied


def _rows(year):
    """Comparable rows per section: {section: {key: description}}."""
    referential = {}
    for model, name in ((Axe, "axe"), (Enjeu, "enjeu"), (Usage, "usage"), (Service, "service")):
        for slug, label, description in model.objects.filter(edition_id=year).values_list("slug", "name", "description"):
            referential[f"{name} {slug}"] = f"{label} — {description}" if description else label
    grid = {}
    for c in Criterion.objects.filter(edition_id=year).prefetch_related("axes", "enjeux"):
        scope = ", ".join([a.name for a in c.axes.all()] + [e.name for e in c.enjeux.all()]) or "tout le dossier"
        grid[c.name] = f"poids {c.weight}, note sur {c.scale_max}, {'obligatoire' if c.required else 'facultatif'}, porte sur : {scope}"
    questions = {
        f"{q.get_category_display() or 'toutes catégories'} : {q.text}": ("obligatoire" if q.required else "facultative") + (f" — aide : {q.help_text}" if q.help_text else "")
        for q in Question.objects.filter(edition_id=year)
    }
    edition = Edition.objects.filter(pk=year).first()
    mentions = {m.name: m.slug for m in edition.mentions.all()} if edition else {}
    return {"Référentiel": referential, "Grille d'évaluation": grid, "Questionnaire": questions, "Mentions ouvertes": mentions}


def diff(before_year, after_year):
    """[(section, added, removed, changed)] between two editions, for reading."""
    before, after = _rows(before_year), _rows(after_year)
    sections = []
    for section, new in after.items():
        old = before[section]
        added = [(k, new[k]) for k in sorted(new.keys() - old.keys())]
        removed = [(k, old[k]) for k in sorted(old.keys() - new.keys())]
        changed = [(k, old[k], new[k]) for k in sorted(new.keys() & old.keys()) if old[k] != new[k]]
        sections.append((section, added, removed, changed))
    return sections


@transaction.atomic
def freeze(edition, by, now):
    if edition.frozen_at:
        raise PreparationError("La préparation est déjà figée.")
    if not edition.criteria.exists() or not Axe.objects.filter(edition=edition).exists():
        raise PreparationError("Le référentiel et la grille doivent exister avant d'être figés.")
    type(edition).objects.filter(pk=edition.pk).update(frozen_at=now)
    edition.frozen_at = now
    record(by, "référentiel, grille, questionnaire et mentions figés", edition=edition, subject="préparation")

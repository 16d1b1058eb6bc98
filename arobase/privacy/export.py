"""Everything the platform holds about one member, as plain data (RGPD art. 15 and 20).

One function per kind of record, each a list of small dicts with French keys: the file
is meant to be read by the member, and reloaded elsewhere.
"""

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from arobase.accounts.models import Attachment, Invitation, Role
from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Actor, Image, Person
from arobase.evaluation.models import Appeal, Decision, Declaration, JuryNote, Review
from arobase.journal.models import Entry


def _when(value):
    return value.isoformat() if value else None


def account(user):
    return {
        "adresse_email": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "inscrit_le": _when(user.date_joined),
        "derniere_connexion": _when(user.last_login),
        "actif": user.is_active,
        "equipe_administration": user.is_staff,
    }


def roles(user):
    return [
        {"role": role.get_kind_display(), "territoire": role.territory.code if role.territory_id else None,
         "organisation": role.organisation, "attribue_le": _when(role.granted_at)}
        for role in Role.objects.filter(user=user).select_related("territory").order_by("granted_at")
    ]


def attachments(user):
    return [
        {"territoire": a.territory.code, "nom_du_territoire": a.territory.name, "statut": a.get_status_display(),
         "fonction": a.function, "message": a.message, "demande_le": _when(a.requested_at),
         "decide_le": _when(a.decided_at), "motif": a.reason}
        for a in Attachment.objects.filter(user=user).select_related("territory").order_by("requested_at")
    ]


def _invitation(i):
    return {"territoire": i.territory.code, "adresse_email": i.email, "envoyee_le": _when(i.created_at), "acceptee_le": _when(i.accepted_at)}


def invitations(user):
    sent = Invitation.objects.filter(invited_by=user).select_related("territory")
    received = Invitation.objects.filter(email__iexact=user.email).select_related("territory") if user.email else []
    return {"envoyees": [_invitation(i) for i in sent.order_by("created_at")],
            "recues": [_invitation(i) for i in sorted(received, key=lambda i: i.created_at)]}


def authored_actions(user):
    actions = Action.objects.filter(Q(author=user) | Q(updated_by=user)).select_related("territory").order_by("created_at")
    return [
        {"id": a.pk, "titre": a.title, "territoire": a.territory.code, "etat": a.get_state_display(),
         "auteur": a.author_id == user.pk, "creee_le": _when(a.created_at), "mise_a_jour_le": _when(a.updated_at),
         "adresse": a.get_absolute_url() if a.state == action_rules.PUBLISHED else None}
        for a in actions
    ]


def contact_details(user):
    """The directory's actors and the actions' people that carry this member's address."""
    if not user.email:
        return {"acteurs": [], "personnes": []}
    actors = Actor.objects.filter(email__iexact=user.email).select_related("territory")
    people = Person.objects.filter(email__iexact=user.email).select_related("action")
    return {
        "acteurs": [{"nom": a.name, "territoire": a.territory.code, "adresse_email": a.email, "telephone": a.phone,
                     "consentement": a.consent, "site_web": a.website} for a in actors],
        "personnes": [{"action": p.action_id, "titre_de_l_action": p.action.title, "nom": p.name, "role": p.role,
                       "adresse_email": p.email, "telephone": p.phone, "consentement": p.consent} for p in people],
    }


def reviews(user):
    found = Review.objects.filter(evaluator=user).select_related("dossier__territory").prefetch_related("proposed_mentions")
    return [
        {"edition": r.dossier.edition_id, "territoire": r.dossier.territory.code, "objet": r.get_purpose_display(),
         "notes": r.scores, "commentaire": r.comment, "arobases_proposees": r.proposed_arobases,
         "mentions_proposees": [m.name for m in r.proposed_mentions.all()], "soumis_le": _when(r.submitted_at)}
        for r in found.order_by("assigned_at")
    ]


def decisions(user):
    found = Decision.objects.filter(decided_by=user).select_related("dossier__territory").prefetch_related("mentions")
    return [
        {"edition": d.dossier.edition_id, "territoire": d.dossier.territory.code, "arobases": d.arobases,
         "hors_concours": d.hors_concours, "mentions": [m.name for m in d.mentions.all()], "motivation": d.rationale,
         "mise_a_jour_le": _when(d.updated_at)}
        for d in found.order_by("updated_at")
    ]


def notes(user):
    return [
        {"edition": n.dossier.edition_id, "territoire": n.dossier.territory.code, "note": n.text, "le": _when(n.at)}
        for n in JuryNote.objects.filter(author=user).select_related("dossier__territory").order_by("at")
    ]


def appeals(user):
    return [
        {"edition": a.dossier.edition_id, "territoire": a.dossier.territory.code, "motif": a.reason, "depose_le": _when(a.filed_at)}
        for a in Appeal.objects.filter(filed_by=user).select_related("dossier__territory").order_by("filed_at")
    ]


def declarations(user):
    return [
        {"edition": d.edition_id, "territoire": d.territory.code, "motif": d.reason, "le": _when(d.created_at)}
        for d in Declaration.objects.filter(user=user).select_related("territory").order_by("pk")
    ]


def journal_about(user):
    """Entries the member made, and those that name their address."""
    entries = Entry.objects.filter(actor=user)
    if user.email:
        named = (Entry.objects.annotate(before_text=Cast("before", TextField()), after_text=Cast("after", TextField()))
                 .filter(Q(verb__icontains=user.email) | Q(detail__icontains=user.email)
                         | Q(before_text__icontains=user.email) | Q(after_text__icontains=user.email))
                 .values("pk"))
        entries = Entry.objects.filter(Q(actor=user) | Q(pk__in=named))
    return entries


def journal(user):
    return [
        {"le": _when(e.at), "par_moi": e.actor_id == user.pk, "territoire": e.territory_name, "edition": e.edition_id,
         "objet": e.subject, "action": e.verb, "detail": e.detail, "avant": e.before, "apres": e.after}
        for e in journal_about(user).order_by("at", "pk")
    ]


def member_data(user):
    return {
        "genere_le": _when(timezone.now()),
        "compte": account(user),
        "roles": roles(user),
        "rattachements": attachments(user),
        "invitations": invitations(user),
        "actions": authored_actions(user),
        "coordonnees_publiees": contact_details(user),
        "avis_d_evaluation": reviews(user),
        "decisions_du_jury": decisions(user),
        "notes_du_jury": notes(user),
        "recours": appeals(user),
        "declarations_de_conflit": declarations(user),
        "journal": journal(user),
    }


def member_files(user):
    """The images of the actions this member wrote: (name in the archive, stored file)."""
    images = Image.objects.filter(action__author=user).order_by("pk")
    return [(f"fichiers/actions/{image.action_id}/{PurePosixPath(image.file.name).name}", image.file) for image in images if image.file]


def as_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_zip(user):
    """The JSON and the member's files, in one archive built in memory (a member's own
    images are few: the upload limit keeps them small)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mes-donnees.json", as_json(member_data(user)))
        for name, stored in member_files(user):
            try:
                with stored.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except OSError:
                archive.writestr(name + ".absent.txt", "Ce fichier n'a pas été trouvé sur le serveur.")
    return buffer.getvalue()

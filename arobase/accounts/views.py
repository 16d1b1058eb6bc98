"""Sign-up with e-mail verification, login, logout, password reset, and the
correspondent's space: attachments to territories and invitations."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST
from rules import test_rule

from arobase.journal.records import record
from arobase.territories.models import Territory
from arobase.territories.rules import COMMUNE, EPCI

from . import emails, roles, throttle, tokens, verification
from .forms import AttachmentRequestForm, InvitationForm, LoginForm, ReasonForm, ResendVerificationForm, SignupForm
from .models import Attachment, Invitation
from .permissions import territory_for


def signup(request):
    if request.user.is_authenticated:
        return redirect("dossiers:space")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = getattr(form, "unverified", None)
        user = form.save()
        if waiting is None:
            record(user, "inscription")
        outcome = verification.send_link(request, user)
        return render(request, "accounts/signup_done.html", {"email": user.email, "outcome": outcome})
    return render(request, "accounts/signup.html", {"form": form})


def resend_verification(request):
    """A new verification link for an account still waiting for one. The answer is the
    same whether the address has an account or not: nobody learns who signed up."""
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=False, last_login__isnull=True).first()
        outcome = verification.send_link(request, user) if user is not None else verification.SENT
        return render(request, "accounts/signup_done.html", {"email": email, "outcome": outcome})
    return render(request, "accounts/resend_verification.html", {"form": form})


def verify(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None and user.is_active:
        messages.info(request, "Votre adresse est déjà vérifiée : connectez-vous.")
        return redirect("accounts:login")
    if user is None or not tokens.email_verification.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(user, "adresse e-mail vérifiée")
    login(request, user, backend="arobase.accounts.backends.ThrottledModelBackend")
    messages.success(request, "Votre adresse est vérifiée et vous êtes connecté(e). Bienvenue !")
    return redirect(request.session.pop("after_verification", None) or reverse("dossiers:space"))


class LoginView(auth_views.LoginView):
    """Django's login: `next` is followed only if it points to this site."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default since 5.0): a link cannot log someone out."""

    next_page = reverse_lazy("public:home")


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="emails/password_reset.txt",
    html_email_template_name="emails/password_reset.html",
    subject_template_name="emails/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The way back in for the owner of a locked account: the link came to their mailbox,
    so it works while the login throttle holds, ends the lock and logs them in."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("dossiers:space")
    post_reset_login = True
    post_reset_login_backend = "arobase.accounts.backends.ThrottledModelBackend"

    def form_valid(self, form):
        throttle.clear_account(form.user.get_username())
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé et vous êtes connecté(e).")
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")


@login_required
def request_attachment(request):
    """Ask to become a correspondent of a territory, found by name as on the public site."""
    query = request.GET.get("q", "").strip()[:100]
    results = Territory.objects.filter(kind__in=[COMMUNE, EPCI]).search(query)[:10] if query else []
    form = AttachmentRequestForm(request.POST or None, initial={"territory": request.GET.get("code", "")[:9]})
    if request.method == "POST" and form.is_valid():
        try:
            roles.request_attachment(request.user, form.cleaned_data["territory"], form.cleaned_data["function"], form.cleaned_data["message"])
        except roles.RoleConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, f"Votre demande pour {form.cleaned_data['territory'].name} est transmise à l'équipe de l'association. Vous recevrez un e-mail dès qu'elle sera traitée.")
            return redirect("dossiers:space")
    return render(request, "accounts/attachment_request.html", {"form": form, "query": query, "results": results})


@login_required
@require_POST
def decide_attachment(request, pk):
    """Staff approve or refuse a request (the refusal needs a reason, sent to the user)."""
    if not test_rule("attachment.decide", request.user):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment.objects.select_related("user", "territory"), pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            roles.approve(attachment, request.user)
        elif decision == "refuse":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise roles.RoleConflict("Indiquez le motif du refus (2 000 caractères au plus) : il est envoyé au demandeur.")
            roles.refuse(attachment, request.user, form.cleaned_data["reason"])
        else:
            raise roles.RoleConflict("Choisissez « approuver » ou « refuser ».")
    except roles.RoleConflict as conflict:
        messages.error(request, str(conflict))
    else:
        emails.send("attachment_decided", attachment.user.email, {
            "attachment": attachment, "link": request.build_absolute_uri(reverse("dossiers:space")),
        })
        messages.success(request, f"Demande de {attachment.user.email} pour {attachment.territory.name} : {attachment.get_status_display()}.")
    return redirect(request.POST.get("back") if request.POST.get("back", "").startswith("/gestion/") else reverse("dossiers:space"))


@login_required
@require_POST
def invite(request, code):
    territory = territory_for(request, code)
    if not test_rule("space.invite", request.user, territory):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Adresse e-mail non valable : " + " ".join(form.errors.get("email", [])))
        return redirect("dossiers:territory_space", code=territory.code)
    invitation = Invitation.objects.create(territory=territory, email=form.cleaned_data["email"], invited_by=request.user)
    link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[tokens.invitation_token(invitation)]))
    if not emails.send("invitation", invitation.email, {"invitation": invitation, "link": link}):
        # The link exists only in that e-mail: an invitation that did not leave is none.
        invitation.delete()
        messages.error(request, f"L'invitation à {invitation.email} n'a pas pu partir (serveur de messagerie indisponible) : "
                                "réessayez dans quelques minutes.")
        return redirect("dossiers:territory_space", code=territory.code)
    record(request.user, "invitation envoyée", territory=territory, detail=invitation.email)
    messages.success(request, f"Invitation envoyée à {invitation.email}. Le lien est valable 14 jours.")
    return redirect("dossiers:territory_space", code=territory.code)


def accept_invitation(request, token):
    """The invitee logs in (or signs up) with the invited address, then is attached."""
    invitation_id = tokens.invitation_id(token)
    invitation = Invitation.objects.select_related("territory", "invited_by").filter(pk=invitation_id).first() if invitation_id else None
    if invitation is None or invitation.accepted_at:
        return render(request, "accounts/invitation_invalid.html", status=400)
    if not test_rule("space.invite", invitation.invited_by, invitation.territory):
        # The inviter is no longer a correspondent: what they sent no longer opens the space.
        return render(request, "accounts/invitation_invalid.html", {"inviter_gone": True}, status=400)
    if not request.user.is_authenticated:
        request.session["after_verification"] = request.path
        return render(request, "accounts/invitation_login.html", {"invitation": invitation, "next": request.path})
    if request.user.email.lower() != invitation.email.lower():
        return render(request, "accounts/invitation_invalid.html", {"wrong_account": True, "invitation": invitation}, status=403)
    if request.method == "POST":
        try:
            with transaction.atomic():
                roles.attach_directly(request.user, invitation.territory, invitation.invited_by)
                invitation.accepted_at = timezone.now()
                invitation.save(update_fields=["accepted_at"])
        except roles.RoleConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("dossiers:space")
        messages.success(request, f"Vous êtes maintenant correspondant(e) de {invitation.territory.name}.")
        return redirect("dossiers:territory_space", code=invitation.territory.code)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation})


@login_required
@require_POST
def cancel_invitation(request, code, pk):
    """A territory's correspondents and the staff withdraw an invitation not yet accepted."""
    territory = territory_for(request, code)
    if not test_rule("invitation.cancel", request.user, territory):
        raise PermissionDenied
    invitation = get_object_or_404(Invitation, pk=pk, territory=territory, accepted_at__isnull=True)
    invitation.delete()
    record(request.user, "invitation annulée", territory=territory, detail=invitation.email)
    messages.success(request, f"Invitation de {invitation.email} annulée : son lien ne fonctionne plus.")
    return redirect("dossiers:territory_space", code=territory.code)

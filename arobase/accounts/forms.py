"""Login forms that say why a login is refused while it is throttled."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from . import throttle


class ThrottleMessageMixin:
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            address = throttle.client_address(self.request) if self.request else ""
            wait = throttle.wait_seconds(username, address) if username else 0
            if wait:
                raise ValidationError(throttle.message(wait), code="throttled") from None
            raise


class LoginForm(ThrottleMessageMixin, AuthenticationForm):
    """The public login: by e-mail address, whatever its case."""

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect. Si vous venez de créer votre compte, "
        "cliquez d'abord sur le lien reçu par e-mail.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse e-mail"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username", ""))


def normalise_email(address):
    """Accounts are keyed by their e-mail in lower case: one account per address."""
    return address.strip().lower()


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de l'inscription", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class SignupForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, pas uniquement des chiffres, ni un mot de passe courant.",
    )
    password2 = forms.CharField(label="Confirmation du mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        existing = User.objects.filter(username=email).first() or User.objects.filter(email__iexact=email).first()
        if existing and (existing.is_active or existing.last_login):
            raise ValidationError(
                "Un compte existe déjà avec cette adresse. Connectez-vous, ou utilisez « Mot de passe oublié »."
            )
        # Never verified (lost or undelivered e-mail): signing up again sends the link again.
        self.unverified = existing
        return email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif first and data.get("email"):
            candidate = User(username=data["email"], email=data["email"], first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self):
        """A new, inactive account. An address already waiting for its verification keeps
        its account as it is: whoever signs up again gets nothing of it (a new password
        here, with the first link still valid, was a takeover); the link is sent again."""
        if getattr(self, "unverified", None) is not None:
            return self.unverified
        data = self.cleaned_data
        user = User(username=data["email"], email=data["email"], is_active=False, first_name=data["first_name"], last_name=data["last_name"])
        user.set_password(data["password1"])
        user.save()
        return user


class AttachmentRequestForm(forms.Form):
    territory = forms.CharField(
        label="Code du territoire", max_length=9,
        help_text="Code INSEE de la commune ou SIREN de l'intercommunalité : cherchez-le ci-dessus.",
    )
    function = forms.CharField(label="Votre fonction", max_length=200, help_text="Ex. : chargée de mission numérique, adjoint au maire")
    message = forms.CharField(label="Message à l'équipe (facultatif)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_territory(self):
        from arobase.territories.models import Territory
        from arobase.territories.rules import COMMUNE, EPCI

        code = self.cleaned_data["territory"].strip().upper()
        territory = Territory.objects.filter(code=code, kind__in=[COMMUNE, EPCI]).first()
        if territory is None:
            raise ValidationError("Aucune commune ni intercommunalité n'a ce code. Cherchez-la par son nom ci-dessus.")
        return territory


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne à inviter", max_length=254)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    """The admin's login."""

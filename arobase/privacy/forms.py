from django import forms
from django.core.exceptions import ValidationError

from arobase.core.numbers import parse_id

from .consent import ACTOR, PERSON


class DeletionForm(forms.Form):
    """The password again, and, when a dossier would be left without correspondent,
    the acknowledgement of it."""

    password = forms.CharField(label="Votre mot de passe", max_length=4096, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    understood = forms.BooleanField(label="J'ai compris que ce territoire n'aura plus de correspondant pour suivre son dossier",
                                    required=False)

    def __init__(self, *args, user, warned, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.warned = user, warned
        if not warned:
            del self.fields["understood"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Ce mot de passe n'est pas le bon : votre compte n'a pas été supprimé.")
        return password

    def clean_understood(self):
        if not self.cleaned_data.get("understood"):
            raise ValidationError("Cochez cette case pour confirmer que vous avez pris connaissance de l'avertissement.")
        return True


class WithdrawalForm(forms.Form):
    kind = forms.ChoiceField(choices=[(ACTOR, ACTOR), (PERSON, PERSON)], widget=forms.HiddenInput)
    listing = forms.CharField(max_length=30, widget=forms.HiddenInput)

    def clean_listing(self):
        pk = parse_id(self.cleaned_data["listing"])
        if pk is None:
            raise ValidationError("Cette fiche n'existe pas.")
        return pk

"""The action sheet's forms: every field of DOMAIN.md, validated at the edge."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from arobase.referential import loading as referential

from . import images, rules
from .models import Action, Person

TEXT_FIELDS = ["title", "subtitle", "summary", "done", "tools", "providers", "results", "recommendations"]


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        # Django looks each value up in the database: a 40-digit id would overflow it.
        if any(not (str(v).isascii() and str(v).isdigit() and len(str(v)) <= 18) for v in value or []):
            raise ValidationError("Choisissez les services dans la liste.")
        return super().clean(value)

    def label_from_instance(self, service):
        return service.name


def grouped_by_enjeu(services):
    """Checkbox groups « axe › enjeu », in the referential's order."""
    groups = {}
    for service in services.order_by("usage__enjeu__axe__position", "usage__enjeu__position", "usage__position", "position"):
        enjeu = service.usage.enjeu
        groups.setdefault(f"{enjeu.axe.name} › {enjeu.name}", []).append((service.pk, service.name))
    return list(groups.items())


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    services = ServiceChoiceField(
        queryset=None, label="Services du référentiel",
        help_text="Cochez au moins un service ; ils sont rangés par enjeu.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un service du référentiel."},
    )

    class Meta:
        model = Action
        fields = TEXT_FIELDS + ["links", "status", "started", "ended", "services", "place_name", "address", "lat", "lon"]
        widgets = {
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 5}) for name in ["done", "tools", "providers", "results", "recommendations"]},
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, referential_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        year = referential_year or referential.latest_year()
        queryset = referential.services_of(year) if year else referential.Service.objects.none()
        if self.instance.pk:  # services chosen under an older referential stay selectable
            queryset = queryset | self.instance.services.select_related("usage__enjeu__axe")
        self.fields["services"].queryset = queryset.distinct()
        self.fields["services"].widget.choices = grouped_by_enjeu(self.fields["services"].queryset)
        self.fields["lat"].widget.attrs.update({"step": "any"})
        self.fields["lon"].widget.attrs.update({"step": "any"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        bad = [line for line in lines if not rules.is_valid_link(line)]
        if bad:
            raise ValidationError("Adresse non valable : « %(link)s ». Une adresse par ligne, commençant par https://.", params={"link": bad[0][:80]})
        return "\n".join(lines)

    def clean_lat(self):
        return _bounded(self.cleaned_data.get("lat"), -90, 90, "La latitude est comprise entre -90 et 90.")

    def clean_lon(self):
        return _bounded(self.cleaned_data.get("lon"), -180, 180, "La longitude est comprise entre -180 et 180.")

    def clean(self):
        data = super().clean()  # Django's CharField already refuses NUL characters
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lon", "Indiquez la latitude et la longitude, ou aucune des deux (le point de la collectivité est alors utilisé).")
        refusal = rules.dates_refusal(data.get("status"), data.get("started"), data.get("ended"), timezone.localdate())
        if refusal:
            self.add_error("ended", refusal)
        return data


def _bounded(value, low, high, message):
    if value is not None and not low <= value <= high:
        raise ValidationError(message)
    return value


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "role", "elected", "email", "phone", "consent"]


PersonFormSet = forms.inlineformset_factory(Action, Person, form=PersonForm, extra=1, can_delete=True, max_num=30)


class ImageForm(forms.Form):
    file = forms.FileField(label="Image (JPEG, PNG ou WebP, 5 Mo au plus)")
    alt = forms.CharField(label="Description de l'image", max_length=300, help_text="Ce que montre l'image, pour qui ne la voit pas.")

    def clean_file(self):
        self.encoded = images.clean_upload(self.cleaned_data["file"])
        return self.cleaned_data["file"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif du refus", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

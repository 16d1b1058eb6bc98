"""Admin form fields that refuse hostile values instead of answering 500.

Django's choice fields hand a posted id to the database as it comes (5 000 digits make
`int()` raise, 20 digits overflow SQLite), and its JSON field lets `json.loads` raise
on 5 000 digits. Every ModelAdmin and inline of the project derives from
`SafeFieldsAdmin` (tests/test_architecture.py checks it), so such values are refused
like any other invalid input, with the admin's usual message.
"""

from django import forms
from django.forms.fields import InvalidJSONInput
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models

from .numbers import parse_id


def _reads_integer_ids(field):
    pk = field.queryset.model._meta.pk
    return field.to_field_name is None and isinstance(pk, (models.AutoField, models.IntegerField))


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _reads_integer_ids(self) and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if _reads_integer_ids(self):
            for pk in value:
                if parse_id(str(pk)) is None:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:20]})
        return super()._check_values(value)


class SafeJSONField(forms.JSONField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValueError:  # Python's own limits (digits, nesting), not a JSONDecodeError
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": str(value)[:40]}) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except ValueError:  # shown again as typed, like any invalid JSON
            return InvalidJSONInput(data)


class BoundedAutocompleteMixin:
    """An autocomplete box shows a refused form again: only the ids that can be looked
    up are (Django's widget queries with whatever was posted)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if parse_id(str(v)) is not None], attr)


class BoundedAutocompleteSelect(BoundedAutocompleteMixin, AutocompleteSelect):
    pass


class BoundedAutocompleteSelectMultiple(BoundedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeFieldsAdmin:
    """Mixed into every ModelAdmin and inline (before Django's class)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField):
            kwargs.setdefault("form_class", SafeJSONField)
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default, said now
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

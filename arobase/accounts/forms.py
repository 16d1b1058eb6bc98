"""Login forms that say why a login is refused while it is throttled."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
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
    """The public login (next issue)."""


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    """The admin's login."""

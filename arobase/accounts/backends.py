"""The one door every authentication goes through: the throttle, then Django's check."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:  # as ModelBackend does: authenticate(email=…) with an e-mail login
            username = kwargs.pop(get_user_model().USERNAME_FIELD, None)
        if username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        attempt = throttle.begin(username, throttle.client_address(request) if request else "")
        if attempt is None:
            raise PermissionDenied  # stops authenticate(): even the right password is refused
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            throttle.clear_account(username)
        return user  # on failure the attempt's row stays: it is the recorded failure

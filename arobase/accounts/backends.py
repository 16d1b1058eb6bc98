"""The one door every authentication goes through: the throttle, then Django's check."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        address = throttle.client_address(request)
        wait = throttle.wait_seconds(username, address)
        if wait:
            throttle.refuse(username, address, wait)
            raise PermissionDenied  # stops authenticate(): even the right password is refused
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, address)
        else:
            throttle.clear_account(username)
        return user

"""Cross-site request forgery protection.

Signed-in requests: a synchronizer token per session (`LoginSession.csrf_token`), sent in
every form as `csrf_token` and by HTMX as the `X-CSRF-Token` header. The sign-in form has
no session yet, so it carries a signed random nonce that must match a nonce cookie set
when the form was shown (signed with the server's secret, valid for an hour).
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
LOGIN_NONCE_COOKIE = "relook_login_nonce"
LOGIN_FORM_MAX_AGE = 60 * 60


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class LoginFormTokens:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="relook-login-form")

    def issue(self) -> tuple[str, str]:
        """(nonce for the cookie, signed token for the form)."""
        nonce = secrets.token_urlsafe(24)
        return nonce, self._serializer.dumps(nonce)

    def check(self, cookie_nonce: str | None, form_token: str | None) -> bool:
        if not cookie_nonce or not form_token:
            return False
        try:
            nonce = self._serializer.loads(form_token, max_age=LOGIN_FORM_MAX_AGE)
        except BadSignature:
            return False
        return tokens_match(cookie_nonce, str(nonce))

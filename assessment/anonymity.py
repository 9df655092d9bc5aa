"""Rater keys: how an anonymous rating is tied to its rater while rating is open, and
to nobody once it has closed (the threat model is in docs/reliability.md).

An online peer or masses rating carries no rater column. It carries a keyed digest
of who gave it: HMAC-SHA256 under the site's SECRET_KEY of the period's own random
secret, the rater group and the rater's id. The rater's requests work the digest out
again to find and change their own ratings; the database alone (a DBA, a backup)
cannot, because SECRET_KEY is not in it. Closing the period sets every digest to
NULL and deletes the period's secret, so not even someone holding SECRET_KEY and a
backup taken afterwards can tie a score to a rater.

SECRET_KEY_FALLBACKS are honoured as Django's own signing honours them: a rating
keyed before a key rotation is still found (and re-keyed under the new key).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.utils.crypto import salted_hmac

from .models import Period, PeriodKey, RaterGroup


def _secret(period: Period) -> str:
    """The open period's secret (made on first use); there is none once rating has closed."""
    if period.state != Period.State.OPEN:
        raise ValueError("rater keys exist only while rating is open")
    key, _created = PeriodKey.objects.get_or_create(period_id=period.pk, defaults={"secret": secrets.token_hex(32)})
    return key.secret


def digest(*, secret: str, group: str, rater_id: int, key: str) -> str:
    """A rater key: pure, so that a migration can key the ratings it converts."""
    return salted_hmac(f"partybuild.rater:{secret}", f"{group}:{rater_id}", secret=key, algorithm="sha256").hexdigest()


def rater_keys(*, period: Period, group: str, rater_id: int) -> list[str]:
    """The digests under which this rater's ratings in ``group`` may be stored: the first
    under the current SECRET_KEY (the one to write), then one per fallback key."""
    if group not in (RaterGroup.PEER, RaterGroup.MASSES):
        raise ValueError(f"{group} ratings are not anonymous")
    secret = _secret(period)
    return [
        digest(secret=secret, group=group, rater_id=rater_id, key=key)
        for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


def rater_key(*, period: Period, group: str, rater_id: int) -> str:
    """The digest a new rating by this rater is stored under."""
    return rater_keys(period=period, group=group, rater_id=rater_id)[0]


def keyer(period: Period) -> Callable[[str, int], str]:
    """``rater_key`` for many raters of one period (bulk paths: the demo seed), the
    period's secret read once."""
    secret = _secret(period)
    return lambda group, rater_id: digest(secret=secret, group=group, rater_id=rater_id, key=settings.SECRET_KEY)

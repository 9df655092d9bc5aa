"""The production settings, plus only what a benchmark on the loopback needs.

bench/web.py starts gunicorn with these: plain HTTP on 127.0.0.1 (no TLS redirect),
persistent database connections as a production deployment keeps them, and the
floor views under /bench-floor/. SECRET_KEY (random per run) and STATIC_ROOT (a
temporary collectstatic, since production serves a hashed manifest) come from
the environment web.py sets.
"""

from partybuild.settings.prod import *  # noqa: F403
from partybuild.settings.prod import DATABASES

SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 60

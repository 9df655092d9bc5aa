"""The embedded run mode (`make run`) and development.

DEBUG is off unless asked for (`make run DEBUG=1`, or DEBUG=on in the environment or .env):
people trying the product see the Chinese error pages, never Django's technical page that
lists every URL. The server listens on 127.0.0.1 only (Procfile), static files are served by
WhiteNoise straight from the source folders, and the secret key, unless SECRET_KEY is given,
is a random one made on first start and kept in var/secret_key (never a key anyone else
knows: the anonymous ratings' digests are keyed on it).
"""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR, env


def local_secret_key(path: Path) -> str:
    """The key in `path`, made there on first use. The web server, the worker and beat start
    together: the key is written to a file of its own and linked into place, so they all read
    the same whole key, whoever comes first."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(64))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Links in e-mails point at the port `make run PORT=…` serves on.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}")
# Nothing is collected for `make run`: WhiteNoise finds the files where they are, as
# runserver would with DEBUG on.
WHITENOISE_USE_FINDERS = True

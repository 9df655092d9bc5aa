"""The production storage of static files, with each file's URL worked out once.

``{% static %}`` asks the storage for a URL on every render; the manifest storage
then looks the name up, splits and rejoins it (a tenth of a millisecond for the
six files of every page). The manifest is read when the process starts and does
not change while it runs, so a name's URL is the same for the process's life.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

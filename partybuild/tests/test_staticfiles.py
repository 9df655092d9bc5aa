"""The production static storage gives whitenoise's URLs, each worked out once."""

import json

from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from partybuild.lib.staticfiles import StaticFilesStorage


@override_settings(DEBUG=False)
def test_urls_are_the_manifest_urls_and_are_worked_out_once(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "x"})
    )
    ours = StaticFilesStorage(location=tmp_path, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert ours.url("css/site.css") == theirs.url("css/site.css") == "/static/css/site.0123456789ab.css"

    def no_second_lookup(*args, **kwargs):
        raise AssertionError("the manifest was asked again")

    ours.stored_name = no_second_lookup
    assert ours.url("css/site.css") == "/static/css/site.0123456789ab.css"

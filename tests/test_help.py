"""The user guides: a help link on every page opens the guide of the visitor's role (member,
group leader, secretary, administrator), with links to the others; every screenshot a guide
shows is in static/help/ and small; Traditional Chinese readers get the same guide."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
HELP = ROOT / "templates" / "help"
GUIDES = ("member", "leader", "secretary", "admin")
# What each guide is about: its title and the headings of its jobs.
HEADINGS = {
    "member": ("党员使用指南", "每季度要做的事", "每年度要做的事", "填写并提交季度党性教育报告单", "民主测评"),
    "leader": ("党小组长使用指南", "每季度要做的事", "每年度要做的事", "审阅本组党员的季度报告单"),
    "secretary": ("支部书记使用指南", "每季度要做的事", "每年度要做的事", "审核季度党性教育报告单", "民主测评"),
    "admin": ("党委管理员使用指南", "每季度要做的事", "每年度要做的事", "维护花名册", "党员量化考核"),
}
IMAGE = re.compile(r'<img src="/static/(help/[^"]+)"')

pytestmark = pytest.mark.django_db


def personas(org):
    return {"member": org.member, "leader": org.leader, "secretary": org.secretary, "admin": org.admin}


@pytest.mark.parametrize("role", GUIDES)
def test_the_help_page_opens_the_guide_of_the_visitors_role(org, client_for, role):
    response = client_for(personas(org)[role]).get(reverse("help"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-testid="help-guide-{role}"' in page
    for heading in HEADINGS[role]:
        assert heading in page, heading
    # The other guides are a click away.
    for other in GUIDES:
        assert f"?guide={other}" in page


@pytest.mark.parametrize("guide", GUIDES)
def test_every_guide_can_be_read_by_anyone_signed_in(org, client_for, guide):
    response = client_for(org.member).get(reverse("help"), {"guide": guide})
    assert response.status_code == 200
    assert HEADINGS[guide][0] in response.content.decode()


def test_the_visitors_own_roles_are_marked(org, client_for):
    page = client_for(org.secretary).get(reverse("help")).content.decode()
    pills = page.split('data-testid="help-guides"')[1].split("</ul>")[0]
    marked = [key for key in GUIDES if re.search(rf"\?guide={key}\"[^>]*>\s*[^<]*<span", pills)]
    assert marked == ["member", "secretary"]  # the secretary is a member too; secretary's guide opens
    assert "支部书记使用指南" in page


def test_a_committee_member_gets_the_secretarys_guide_and_a_masses_rater_the_members(org, client_for):
    assert "支部书记使用指南" in client_for(org.committee).get(reverse("help")).content.decode()
    assert "党员使用指南" in client_for(org.masses).get(reverse("help")).content.decode()


def test_an_unknown_guide_opens_the_visitors_own(org, client_for):
    response = client_for(org.leader).get(reverse("help"), {"guide": "nobody"})
    assert response.status_code == 200 and "党小组长使用指南" in response.content.decode()


def test_the_help_page_needs_a_login(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_every_page_has_the_help_link(org, client_for):
    page = client_for(org.member).get(reverse("home")).content.decode()
    assert f'href="{reverse("help")}" data-testid="nav-help"' in page


@pytest.mark.parametrize("guide", GUIDES)
def test_every_screenshot_a_guide_shows_is_in_static_and_small(org, client_for, guide):
    page = client_for(org.admin).get(reverse("help"), {"guide": guide}).content.decode()
    images = IMAGE.findall(page)
    assert 3 <= len(images) <= 6, images
    for name in images:
        found = finders.find(name)
        assert found, f"{name} is missing from static/ (scripts/help_screenshots.py takes it)"
        assert Path(found).stat().st_size <= 150 * 1024, name
    # Every screenshot the script takes is shown somewhere, and nothing else lies in static/help/.
    shown = {name for g in GUIDES for name in IMAGE.findall(_guide_page(client_for, org, g))}
    assert {f"help/{p.name}" for p in (ROOT / "static" / "help").iterdir()} == shown


def _guide_page(client_for, org, guide):
    return client_for(org.admin).get(reverse("help"), {"guide": guide}).content.decode()


def test_the_screenshot_script_takes_every_screenshot_the_guides_show(org, client_for):
    spec = importlib.util.spec_from_file_location("help_screenshots", ROOT / "scripts" / "help_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, script)  # its dataclass looks itself up there
    spec.loader.exec_module(script)
    shown = {name for g in GUIDES for name in IMAGE.findall(_guide_page(client_for, org, g))}
    assert {f"help/{shot.name}.png" for shot in script.SHOTS} == shown


@pytest.mark.parametrize("guide", GUIDES)
def test_traditional_chinese_readers_get_the_same_guide(org, client_for, guide):
    spec = importlib.util.spec_from_file_location("fill_help_hant", ROOT / "scripts" / "fill_help_hant.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    stored = (HELP / "zh_hant" / f"{guide}.html").read_text(encoding="utf-8")
    assert stored == script.converted(guide), "run scripts/fill_help_hant.py after editing a guide"

    client = client_for(org.member)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    page = client.get(reverse("help"), {"guide": guide}).content.decode()
    title = script.OpenCC("s2tw").convert(HEADINGS[guide][0])
    assert title in page and title != HEADINGS[guide][0]

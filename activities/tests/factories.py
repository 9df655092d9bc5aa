"""Factories for suggestion forms and themed Party days (the other activities
features keep their own factories module)."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from activities.models import PartyDay, PartyDayParticipant, Suggestion
from members.tests.factories import BranchFactory, MemberFactory
from partybuild.lib.quarters import Quarter


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    member = factory.SubFactory(MemberFactory)
    branch = factory.SelfAttribute("member.branch")
    group = factory.SelfAttribute("member.group")
    title = factory.Sequence(lambda n: f"交接班记录建议{n}")
    situation = "夜班交接时设备巡检记录不完整。"
    problem = "交接内容口头传达，容易遗漏隐患。"
    suggestion = "制定交接班检查清单，双方签字确认。"
    quarter = factory.LazyFunction(lambda: Quarter.current().code)


class PartyDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyDay

    branch = factory.SubFactory(BranchFactory)
    kind = PartyDay.Kind.OPEN
    theme = factory.Sequence(lambda n: f"走进标杆班组{n}")
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    place = "检修一班"
    destination_kind = PartyDay.Destination.BENCHMARK
    destination = "检修一班“工人先锋号”"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyDayParticipant

    party_day = factory.SubFactory(PartyDayFactory)
    member = factory.SubFactory(MemberFactory)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def image_upload(name: str = "photo.jpg", fmt: str = "JPEG", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt), content_type=content_type)

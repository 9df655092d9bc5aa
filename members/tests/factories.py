import datetime

import factory

from members.models import Branch, MassesRater, Member, PartyGroup, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("partybuild-demo")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"第{n}党支部")
    sort_order = factory.Sequence(lambda n: n)


class PartyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyGroup

    branch = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"第{n}党小组")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    employee_no = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"党员{n}")
    gender = Member.Gender.MALE
    birth_date = datetime.date(1985, 5, 1)
    party_status = Member.PartyStatus.FULL
    joined_on = datetime.date(2010, 7, 1)
    full_on = datetime.date(2011, 7, 1)
    branch = factory.SubFactory(BranchFactory)
    group = None
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..employee_no"))


class MassesRaterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MassesRater

    employee_no = factory.Sequence(lambda n: f"M{n:06d}")
    name = factory.Sequence(lambda n: f"群众{n}")
    branch = factory.SubFactory(BranchFactory)
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..employee_no"))

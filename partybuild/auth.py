"""Django's ModelBackend, reading the person of each request in one statement.

Every authenticated request loads its user (the authentication middleware asks the
backend the session names), and the layout of every page then needs their roles
(members.roles) and their unread notification count (reminders). Read one by one
through the ORM these were three queries, each costing more to build than the
database took to answer; here they are one statement written once per process
(members.roles.read_person). Logging in, permissions and everything else are
ModelBackend's own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from members.models import User
from members.roles import read_person, remember_roles
from reminders.selectors import remember_unread, unread_count_sql


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if pk is None or not -(2**63) <= pk < 2**63:
            return None
        person = read_person(pk, (unread_count_sql("u"),))
        if person is None or not self.user_can_authenticate(person.user):
            return None
        remember_roles(person.user, person.roles)
        remember_unread(person.user, person.extras[0])
        return person.user

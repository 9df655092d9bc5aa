"""The Django admin shows a refusal of a deletion as a message, never a server error.

A model's ``pre_delete`` receiver may refuse a deletion with a ``DomainError`` (the
assessment app's lock of a final period refuses any deletion of its records, including
one a cascade reaches: deleting a member deletes their ratings and results). The admin's
delete page and its "delete selected" action would let that exception through as a
server error, after writing their log entries (and a change form's save deletes the
inline rows ticked for deletion). With this mixin the whole deletion (or save) is rolled
back, log entries included, and the person reads why.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from .errors import DomainError


class RefusedDeletionsAsMessages(admin.ModelAdmin):
    """Mix in before the admin's base class: ``class MemberAdmin(RefusedDeletionsAsMessages, …)``."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # An inline row ticked for deletion is deleted by the change form's save.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def response_action(self, request, queryset):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

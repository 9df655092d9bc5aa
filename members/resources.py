"""Roster import and export (django-import-export), keyed on the employee number.

The workbook's column headers and choice values are fixed Chinese words: the
file is a contract with the people who fill it in Excel, so it does not change
with the interface language. Simplified and Traditional spellings of the choice
values are both accepted; names are kept exactly as written.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Branch, Member, PartyGroup

COLUMNS = {
    "employee_no": "工号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "party_status": "党员类别",
    "joined_on": "入党日期",
    "full_on": "转正日期",
    "post": "岗位",
    "job_title": "职务",
    "phone": "手机",
    "email": "邮箱",
    "branch": "党支部",
    "group": "党小组",
    "is_active": "在册",
}
REQUIRED_COLUMNS = ("employee_no", "name", "gender", "party_status", "joined_on", "branch")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores a typed-in employee number such as 10023 as a float.
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class RequiredTextWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(_("This column is required."))
        return text


class LabelChoiceWidget(widgets.Widget):
    """Reads and writes a choice field as its fixed Chinese label."""

    def __init__(self, labels: dict[str, str], aliases: dict[str, str] | None = None, required: bool = True):
        super().__init__()
        self.labels = labels
        self.lookup = {label: value for value, label in labels.items()}
        self.lookup.update({value: value for value in labels if value})
        self.lookup.update(aliases or {})
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return ""
        try:
            return self.lookup[text]
        except KeyError:
            allowed = "、".join(label for label in self.labels.values() if label)
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "")


class YesNoWidget(widgets.Widget):
    TRUE = {"是", "在册", "1", "true", "True", "TRUE", "yes", "Y", "y"}
    FALSE = {"否", "不在册", "0", "false", "False", "FALSE", "no", "N", "n"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value)
        if not text:
            return True
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": "是、否"})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class DateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

    def __init__(self, required: bool = False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return None
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it like 2024-07-01.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class BranchWidget(widgets.Widget):
    """A branch by its name; the branches are read once per import."""

    def __init__(self):
        super().__init__()
        self._by_name: dict[str, Branch] | None = None

    def reset(self) -> None:
        self._by_name = None

    def get(self, name: str) -> Branch | None:
        if self._by_name is None:
            self._by_name = {b.name: b for b in Branch.objects.all()}
        return self._by_name.get(name)

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError(_("This column is required."))
        branch = self.get(name)
        if branch is None:
            raise ValueError(_("There is no branch named “%(name)s”.") % {"name": name})
        return branch

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class GroupWidget(widgets.Widget):
    """A Party group by its name inside the row's branch (names repeat across branches)."""

    def __init__(self, branch_widget: BranchWidget):
        super().__init__()
        self.branch_widget = branch_widget
        self._by_key: dict[tuple[int, str], PartyGroup] | None = None

    def reset(self) -> None:
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        branch = self.branch_widget.get(_text((row or {}).get(COLUMNS["branch"])))
        if branch is None:
            # The branch column carries its own error; nothing to add here.
            return None
        if self._by_key is None:
            self._by_key = {(g.branch_id, g.name): g for g in PartyGroup.objects.all()}
        group = self._by_key.get((branch.pk, name))
        if group is None:
            raise ValueError(
                _("Branch “%(branch)s” has no Party group named “%(name)s”.") % {"branch": branch.name, "name": name}
            )
        return group

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class RosterInstanceLoader(ModelInstanceLoader):
    """The file's existing members read in a few queries up front, not one per row.

    Blank or odd employee numbers are left for the row checks to report.
    """

    CHUNK = 5000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        header = COLUMNS["employee_no"]
        numbers = sorted({_text(v) for v in self.dataset[header]} - {""}) if header in self.dataset.headers else []
        self.by_number: dict[str, Member] = {}
        for start in range(0, len(numbers), self.CHUNK):
            chunk = numbers[start : start + self.CHUNK]
            for member in Member.objects.select_related("branch", "group").filter(employee_no__in=chunk):
                self.by_number[member.employee_no] = member

    def get_instance(self, row):
        return self.by_number.get(_text(row.get(COLUMNS["employee_no"])))


class MemberResource(resources.ModelResource):
    employee_no = fields.Field(attribute="employee_no", column_name=COLUMNS["employee_no"], widget=RequiredTextWidget())
    name = fields.Field(attribute="name", column_name=COLUMNS["name"], widget=RequiredTextWidget())
    gender = fields.Field(
        attribute="gender",
        column_name=COLUMNS["gender"],
        widget=LabelChoiceWidget({"M": "男", "F": "女"}, aliases={"男性": "M", "女性": "F"}),
    )
    birth_date = fields.Field(attribute="birth_date", column_name=COLUMNS["birth_date"], widget=DateWidget())
    party_status = fields.Field(
        attribute="party_status",
        column_name=COLUMNS["party_status"],
        widget=LabelChoiceWidget(
            {"full": "正式党员", "probationary": "预备党员"},
            aliases={
                "正式": "full",
                "预备": "probationary",
                "正式黨員": "full",
                "預備黨員": "probationary",
                "預備": "probationary",
            },
        ),
    )
    joined_on = fields.Field(attribute="joined_on", column_name=COLUMNS["joined_on"], widget=DateWidget(required=True))
    full_on = fields.Field(attribute="full_on", column_name=COLUMNS["full_on"], widget=DateWidget())
    post = fields.Field(attribute="post", column_name=COLUMNS["post"], widget=TextWidget())
    job_title = fields.Field(attribute="job_title", column_name=COLUMNS["job_title"], widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name=COLUMNS["phone"], widget=TextWidget())
    email = fields.Field(attribute="email", column_name=COLUMNS["email"], widget=TextWidget())
    branch = fields.Field(attribute="branch", column_name=COLUMNS["branch"], widget=BranchWidget())
    group = fields.Field(attribute="group", column_name=COLUMNS["group"])
    is_active = fields.Field(attribute="is_active", column_name=COLUMNS["is_active"], widget=YesNoWidget())

    class Meta:
        model = Member
        import_id_fields = ("employee_no",)
        fields = tuple(COLUMNS)
        export_order = tuple(COLUMNS)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # Tuned for whole-company files: rows are written in bulk (with their history),
        # existing members are read up front, and no HTML diff is built per row; unchanged
        # rows are still recognised, against a snapshot taken when the member is loaded.
        use_bulk = True
        batch_size = 2000
        skip_diff = True
        instance_loader_class = RosterInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.actor = None
        self.duplicate_numbers: set[str] = set()
        # The group is looked up inside the row's branch, so its widget shares
        # the branch widget's cache.
        self.fields["group"].widget = GroupWidget(self.fields["branch"].widget)

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        self.actor = user if user is not None and user.is_authenticated else None
        self.fields["branch"].widget.reset()
        self.fields["group"].widget.reset()
        header = COLUMNS["employee_no"]
        counts = Counter(_text(v) for v in dataset[header])
        self.duplicate_numbers = {number for number, n in counts.items() if number and n > 1}

    def before_import_row(self, row, **kwargs):
        number = _text(row.get(COLUMNS["employee_no"]))
        if number in self.duplicate_numbers:
            raise ValidationError(
                {
                    "employee_no": _("Employee number %(number)s appears more than once in the file.")
                    % {"number": number}
                }
            )

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance._imported_from = {name: f.get_value(instance) for name, f in self.fields.items()}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        before = getattr(instance, "_imported_from", None)
        if before is None or import_validation_errors:
            return False
        return all(f.get_value(instance) == before[name] for name, f in self.fields.items())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own checks, without the per-row queries: the employee number is the
        import key (repeats in the file are refused in ``before_import_row``), and the
        branch and group come from the widgets' caches, so they exist."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "branch", "group", "user"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.version += 1
            instance.updated_at = timezone.now()

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    Member,
                    batch_size=batch_size,
                    default_user=self.actor,
                    default_change_reason="import_roster",
                )
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    Member,
                    [*self.get_bulk_update_fields(), "version", "updated_at"],
                    batch_size=batch_size,
                    default_user=self.actor,
                    default_change_reason="import_roster",
                )
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.update_instances.clear()

    def get_export_queryset(self, request=None, **kwargs):
        return Member.objects.select_related("branch", "group").order_by("branch__sort_order", "employee_no")

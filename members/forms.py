from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import DateInput, HiddenErrorsAbove, ModelMultipleChoiceField
from partybuild.lib.xlsx import WEB_MAX_BYTES

from .models import Branch, MassesRater, Member, PartyGroup
from .roles import Roles


class SignInForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anyone tries to log in:
    the stock form only sets the HTML limit, and a longer name reached the login-attempt log
    (django-axes), whose column it overflows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


MEMBER_FIELDS = [
    "employee_no",
    "name",
    "gender",
    "birth_date",
    "party_status",
    "joined_on",
    "full_on",
    "post",
    "job_title",
    "phone",
    "email",
    "branch",
    "group",
    "committee_role",
    "is_active",
]


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyGroup) -> str:
        return f"{obj.branch.name} · {obj.name}"


class MemberForm(HiddenErrorsAbove, forms.ModelForm):
    """Create or edit a roster row; the version field guards against lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        field_classes = {"group": GroupChoiceField}
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "full_on": DateInput(),
        }

    def __init__(self, *args, roles: Roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        groups = PartyGroup.objects.select_related("branch")
        if roles.is_admin:
            self.fields["branch"].queryset = Branch.objects.all()
        else:
            # A secretary works inside their own branch and cannot hand out committee roles.
            del self.fields["branch"]
            del self.fields["committee_role"]
            groups = groups.filter(branch_id=roles.secretary_branch_id)
            self.instance.branch_id = roles.secretary_branch_id
        self.fields["group"].queryset = groups
        self.fields["email"].help_text = _("Reminders are sent here when it is filled in.")
        today = timezone.localdate().isoformat()
        for name, first in Member.DATE_FIRST_YEARS.items():
            self.fields[name].widget.attrs.update(min=f"{first}-01-01", max=today)


class RateeField(ModelMultipleChoiceField):
    """The members a masses rater rates, as checkboxes the page's search box filters."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, obj: Member) -> str:
        group = f" · {obj.group.name}" if obj.group_id else ""
        return f"{obj.name}（{obj.employee_no}）{group}"


class MassesRaterForm(HiddenErrorsAbove, forms.ModelForm):
    """A masses rater's record and the members they rate (of the rater's branch)."""

    ratees = RateeField(queryset=Member.objects.none(), required=False, label=_("Members rated"))

    class Meta:
        model = MassesRater
        fields = ["employee_no", "name", "ratees"]

    def __init__(self, *args, branch: Branch, ratees, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch  # the uniqueness and clean() checks see the branch
        self.fields["ratees"].queryset = ratees
        self.fields["ratees"].help_text = _("Tick the Party members this person works with and rates.")


class LoginForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("The first sheet is read; the first row holds the column headers."),
    )

    MAX_BYTES = WEB_MAX_BYTES

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file saved from Excel."))
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file

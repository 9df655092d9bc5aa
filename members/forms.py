from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import DateInput, HiddenErrorsAbove
from partybuild.lib.xlsx import WEB_MAX_BYTES

from .models import Branch, Member, PartyGroup
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

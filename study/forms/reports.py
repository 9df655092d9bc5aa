from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.lib.forms import HiddenErrorsAbove, IdFilterField, QuarterFilterField, QueryFilterForm

from ..models import QuarterlyReport, ReportProblem, StudySession
from ..selectors.reports import BOARD_STATES
from ..services.reports import ProblemInput

Section = QuarterlyReport.Section


class ReportTextsForm(HiddenErrorsAbove, forms.Form):
    """The member's text sections; sections closed by a partial return are disabled."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    studied_notes = forms.CharField(
        label=_("Other study this quarter (self-study, online courses, reading)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    insights = forms.CharField(
        label=_("What I took from my study"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    org_life_notes = forms.CharField(
        label=_("My part in organisational life"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    analysis = forms.CharField(
        label=_("Party-spirit analysis"),
        help_text=_("Measure yourself against the standard of a Party member: thinking, work, conduct."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
    )

    SECTION_OF = {
        "studied_notes": Section.STUDIED,
        "insights": Section.INSIGHTS,
        "org_life_notes": Section.ORG_LIFE,
        "analysis": Section.ANALYSIS,
    }

    def __init__(self, *args, report: QuarterlyReport, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": report.version,
                "studied_notes": report.studied_notes,
                "insights": report.insights,
                "org_life_notes": report.org_life_notes,
                "analysis": report.analysis,
            },
        )
        super().__init__(*args, **kwargs)
        for name, section in self.SECTION_OF.items():
            if not report.section_open(section):
                self.fields[name].disabled = True


class ReportEditForm(ReportTextsForm):
    """The report's edit page as one form: the texts with the problems' formset (disabled
    while a partial return leaves the problems closed); valid when both are."""

    def __init__(self, data=None, *, report: QuarterlyReport):
        super().__init__(data, report=report)
        self.problems_open = report.section_open(Section.PROBLEMS)
        initial = [
            {
                "id": p.pk,
                "problem": p.problem,
                "cause": p.cause,
                "measure": p.measure,
                "status": p.status,
                # Not a field: marks the row as carried over (上季度转入) on the page.
                "carried_from": p.carried_from.report.quarter if p.carried_from_id else "",
            }
            for p in report.problems.select_related("carried_from__report")
        ]
        self.formset = ProblemFormSet(data, initial=initial, prefix="problems")
        if initial or not self.problems_open:
            self.formset.extra = 0  # the "add a problem" button adds rows; no blank row below existing ones
        if not self.problems_open:
            for f in self.formset.forms:
                for field in f.fields.values():
                    field.disabled = True

    def is_valid(self) -> bool:
        return super().is_valid() and (not self.problems_open or self.formset.is_valid())

    def texts(self) -> dict[str, str]:
        """The open sections' texts."""
        return {name: self.cleaned_data[name] for name in self.SECTION_OF if not self.fields[name].disabled}

    def problems(self) -> list[ProblemInput] | None:
        """The problems as the member left them: filled-in or existing rows, without deleted
        ones (None while the problems are closed)."""
        if not self.problems_open:
            return None
        return [
            ProblemInput(
                id=f.cleaned_data.get("id"),
                problem=f.cleaned_data["problem"],
                cause=f.cleaned_data.get("cause", ""),
                measure=f.cleaned_data.get("measure", ""),
                status=f.cleaned_data["status"],
            )
            for f in self.formset.forms
            if f.has_changed() or f.cleaned_data.get("id")
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


class ProblemForm(HiddenErrorsAbove, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    problem = forms.CharField(label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    cause = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    measure = forms.CharField(
        label=_("Rectification measure"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    # The initial value keeps an untouched blank row from counting as changed.
    status = forms.ChoiceField(
        label=_("Completion"), choices=ReportProblem.Status.choices, initial=ReportProblem.Status.OPEN
    )


class BaseProblemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        ids = [f.cleaned_data.get("id") for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        ids = [i for i in ids if i]
        if len(ids) != len(set(ids)):
            raise forms.ValidationError(_("The same problem appears twice in the form."))


ProblemFormSet = forms.formset_factory(
    ProblemForm, formset=BaseProblemFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


class ForwardForm(forms.Form):
    """Each action form on the report page gets its own id prefix: the return and
    approve forms share field names, and duplicate ids would tie a label to the
    other form's checkbox."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "forward-%s")
        super().__init__(*args, **kwargs)

    opinion = forms.CharField(
        label=_("The group's opinion"),
        help_text=_("What the group concluded after discussing the report."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )


class ReturnForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Sections to redo"), choices=Section.choices, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("What must be redone and why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    restudy_session = forms.ModelChoiceField(
        label=_("Assign to a remedial re-study session"), queryset=StudySession.objects.none(), required=False
    )
    open_talk = forms.BooleanField(label=_("Open an individual talk"), required=False)

    def __init__(self, *args, report: QuarterlyReport, by_branch: bool, **kwargs):
        kwargs.setdefault("auto_id", "return-%s")
        super().__init__(*args, **kwargs)
        if by_branch:
            self.fields["restudy_session"].queryset = restudy_choices(report)
        else:
            del self.fields["restudy_session"]
            del self.fields["open_talk"]


def restudy_choices(report: QuarterlyReport):
    return StudySession.objects.filter(
        branch_id=report.branch_id, kind=StudySession.Kind.RESTUDY, attendance_taken_at__isnull=True
    ).order_by("starts_at")


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ApproveForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=QuarterlyReport.Grade.choices, widget=forms.RadioSelect)
    truly_studied = forms.TypedChoiceField(
        label=_("Truly studied"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    truly_checked = forms.TypedChoiceField(
        label=_("Truly checked"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    truly_rectified = forms.TypedChoiceField(
        label=_("Truly rectified"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    evaluation = forms.CharField(
        label=_("The branch's evaluation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    sections = forms.MultipleChoiceField(
        label=_("If unqualified: sections to redo (all when none is ticked)"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    restudy_session = forms.ModelChoiceField(
        label=_("If unqualified: remedial re-study session"), queryset=StudySession.objects.none(), required=False
    )
    open_talk = forms.BooleanField(label=_("If unqualified: open an individual talk"), required=False)

    def __init__(self, *args, report: QuarterlyReport, **kwargs):
        kwargs.setdefault("auto_id", "approve-%s")
        super().__init__(*args, **kwargs)
        self.fields["restudy_session"].queryset = restudy_choices(report)


class ReviewBoardFilterForm(QueryFilterForm):
    """The review board's filters: a quarter (this one unless one is named), a report
    state and a group."""

    quarter = QuarterFilterField(required=False)
    state = forms.ChoiceField(required=False, choices=[(state, state) for state in BOARD_STATES])
    group = IdFilterField()

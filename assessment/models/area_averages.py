"""Each branch's average area subtotals in a published period, stored for the trends pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Branch

from .rating import Period


class AreaAverage(models.Model):
    """A branch's average subtotal in one rubric area for one period.

    Area subtotals are not stored per member (they are worked out from each rating's item
    scores, assessment/selectors/results.area_rows); at 100,000 members that is too slow for a
    page, so these rows are written when the results are published, an objection is upheld
    and the period is finalised (assessment/services/area_averages.py). Members whose
    breakdown is withheld (an anonymous group below the threshold) are not counted.
    """

    # No index of its own: the unique (period, branch, area) leads with it.
    period = models.ForeignKey(
        Period,
        on_delete=models.CASCADE,
        related_name="area_averages",
        db_index=False,
        verbose_name=_("assessment period"),
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+", verbose_name=_("branch"))
    area_code = models.CharField(_("code"), max_length=4)
    area_name = models.CharField(_("area"), max_length=50)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    # The sum of the counted members' subtotals (each rounded as a member sees it) and their
    # number: the company's average is worked out from the branches' sums, exactly.
    total = models.DecimalField(_("sum of subtotals"), max_digits=12, decimal_places=2)
    members = models.PositiveIntegerField(_("members counted"))
    average = models.DecimalField(_("average"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "branch", "area_code"], name="one_area_average_per_branch"),
        ]
        verbose_name = _("area average")
        verbose_name_plural = _("area averages")

    def __str__(self) -> str:
        return f"{self.period} · {self.branch} · {self.area_code}"

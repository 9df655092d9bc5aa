"""How the suggestion page shows each move on the thread: its label, the hint in its
text box and the colour of its button."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

# action -> (label, placeholder, Bootstrap button colour)
ACTION_LOOK = {
    "acknowledge": (_("Acknowledge"), _("Optional: a word to the member."), "primary"),
    "reply": (_("Reply"), _("Your answer to the member."), "primary"),
    "comment": (_("Add a note"), _("More about the situation, or how it stands now."), "primary"),
    "escalate": (
        _("Pass up to the company"),
        _("Why the branch cannot settle it, and what it has done so far."),
        "warning",
    ),
    # The button says what the status will say (办结 → 已办结), not a window's 关闭.
    "close": (pgettext_lazy("suggestion", "Close"), _("The conclusion: what was done or decided."), "success"),
    "withdraw": (_("Withdraw"), _("Optional: why you withdraw it."), "outline-secondary"),
}


@register.simple_tag
def thread_action_look(action: str) -> dict:
    """``{% thread_action_look name as look %}``: look.label, look.placeholder, look.button."""
    label, placeholder, button = ACTION_LOOK[action]
    return {"label": label, "placeholder": placeholder, "button": button}

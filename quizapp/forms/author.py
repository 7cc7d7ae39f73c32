"""The small forms of the instructor pages: the question-list filters and the regrade target."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp

from quizapp.authoring.editing import ListFilters
from quizapp.forms.question import DIFFICULTIES, type_choices


class ListFilterForm(FlaskForm):
    """Search and filters for a bank's question list (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    q = StringField("Search stem or key", validators=[Optional(), Length(max=100)])
    type = SelectField("Type", choices=[], default="")
    tag = SelectField("Tag", choices=[SelectChoice("", "Any tag")], default="")
    difficulty = SelectField(
        "Difficulty",
        choices=[SelectChoice("", "Any")] + [SelectChoice(str(n), t) for n, t in DIFFICULTIES.items()],
        default="",
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("live", "In use"),
            SelectChoice("draft", "Drafts"),
            SelectChoice("ready", "Ready"),
            SelectChoice("retired", "Retired"),
            SelectChoice("all", "All"),
        ],
        default="live",
    )

    def __init__(self, *args, **kwargs):
        """Offer every registered question type."""
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice("", "Any type"), *type_choices()]

    def use_tags(self, tags: list[str]) -> ListFilterForm:
        """Offer the bank's tags."""
        self.tag.choices = [SelectChoice("", "Any tag")] + [SelectChoice(t, t) for t in tags]
        return self

    def filters(self) -> ListFilters:
        """Return the filters, or none at all when the query string does not validate."""
        if not self.validate():
            return ListFilters()
        return ListFilters(
            search=(self.q.data or "").strip(),
            type=self.type.data or "",
            tag=self.tag.data or "",
            difficulty=int(self.difficulty.data) if self.difficulty.data else None,
            status=self.status.data or "live",
        )


class RegradeForm(FlaskForm):
    """Which version to regrade past responses against."""

    version = SelectField("Regrade against version", validators=[Regexp(r"^\d+$")])

    @classmethod
    def from_request(cls, numbers: list[int], target: int) -> RegradeForm:
        """Bind to the posted form (with its CSRF token), or for a dry run to the query string."""
        form = cls() if request.method == "POST" else cls(request.args, meta={"csrf": False})
        return form.use_versions(numbers, target)

    def use_versions(self, numbers: list[int], target: int) -> RegradeForm:
        """Offer the question's versions, newest (the current one) first, with the target selected."""
        self.version.choices = [
            SelectChoice(str(n), f"Version {n}{' (current)' if i == 0 else ''}") for i, n in enumerate(numbers)
        ]
        self.version.data = str(target)
        return self

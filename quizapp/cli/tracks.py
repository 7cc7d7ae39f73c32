"""`flask tracks ...`: try the course-track rules from the command line."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from pydantic import ValidationError

from quizapp.banks.formats.file_errors import BankFileError
from quizapp.recommendation import recommender, stored

group = AppGroup("tracks", help="Course-track recommendation rules (questions/tracks.yaml).")


def _json(text: str | None, option: str) -> dict | None:
    """Parse a JSON object given on the command line."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON: {exc.msg}", param_hint=option) from None
    if not isinstance(value, dict):
        raise click.BadParameter("expected a JSON object", param_hint=option)
    return value


@group.command("recommend")
@click.option("--intake", "intake_json", required=True, help='Intake answers as JSON, e.g. \'{"role": "nurse", ...}\'.')
@click.option("--scores", "scores_json", default=None, help='Topic percents as JSON, e.g. \'{"airway": 90, ...}\'.')
def recommend_command(intake_json: str, scores_json: str | None) -> None:
    """Print the recommendation for an intake (and optional topic scores) as JSON."""
    intake, scores = _json(intake_json, "--intake"), _json(scores_json, "--scores")
    try:
        result = recommender.recommend(intake, scores, stored.rules())
    except BankFileError as exc:
        raise click.ClickException("the rules file is invalid:\n" + str(exc)) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise click.ClickException(f"invalid input: {problems}") from None
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))

"""The bank import upload: one file, checked by its content (size, UTF-8 text), never by its name."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from quizapp.banks.formats.file_errors import BankFileError
from quizapp.banks.formats.registry import IMPORTS
from quizapp.banks.transfer import Source, decode


def utf8_text(form: FlaskForm, field: FileField) -> None:
    """Read the upload and keep it as text, refusing empty, binary and non-UTF-8 files with a clear reason."""
    limit = current_app.config["IMPORT_MAX_BYTES"]  # the request's own limit (quizapp/edge.py) refuses more first
    raw = field.data.stream.read(limit + 1)
    try:
        field.text = decode(raw, "upload", limit)
    except BankFileError as exc:
        message = exc.errors[0].message
        raise ValidationError(message[:1].upper() + message[1:] + ".") from None


class UploadForm(FlaskForm):
    """Choose a file and its format; preview (dry run) or import."""

    file = FileField(
        "File to import",
        validators=[FileRequired("Choose a file to import."), utf8_text],
        description="A UTF-8 text file of at most 8 MB (a YAML bank file 5 MB). Its content decides, not its name or "
        "extension.",
    )
    format = RadioField(
        "Format",
        choices=[SelectChoice(value, label) for value, label in IMPORTS.items()],
        default="gift",
        validators=[InputRequired("Choose the file's format.")],
    )
    strict = BooleanField(
        "All or nothing: import nothing if any question has an error",
        description="Without it, the valid questions are imported and each malformed one is listed with its line.",
    )
    preview = SubmitField("Preview (dry run)")
    submit = SubmitField("Import")

    @property
    def dry_run(self) -> bool:
        """Whether the preview button was pressed (pressing Enter imports nothing either: preview comes first)."""
        return bool(self.preview.data) or not self.submit.data

    def source(self) -> Source:
        """Return the validated upload as a Source named by its (sanitised) file name, for messages only."""
        name = secure_filename(self.file.data.filename or "")[:100] or "uploaded file"
        return Source(name, self.file.text)

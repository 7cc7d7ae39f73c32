"""Uploading an image for question text."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from quizapp.authoring.media import MAX_BYTES


class ImageForm(FlaskForm):
    """An image file and the alternative text that describes it."""

    file = FileField(
        "Image file",
        description="PNG, JPEG or WebP, at most 1 MB. SVG is not accepted.",
        validators=[
            FileRequired("Choose an image file to upload."),
            FileSize(MAX_BYTES, message="The image is larger than 1 MB. Make it smaller and upload it again."),
        ],
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    alt = StringField(
        "Alternative text",
        description="Describe what the image shows for people who cannot see it (e.g. 'Two-thumb chest "
        "compressions on an infant').",
        validators=[DataRequired("Describe the image: alternative text is required."), Length(max=300)],
    )

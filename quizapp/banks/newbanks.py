"""New banks: made by `flask banks create`, or named by a GIFT file's `$CATEGORY:` when no bank is given."""

from __future__ import annotations

from pydantic import ValidationError

from quizapp import audit
from quizapp.banks import transfer
from quizapp.banks.formats import drafts
from quizapp.banks.formats.registry import FORMATS
from quizapp.banks.schema import Bank as BankSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, User


def create_bank(slug: str, title: str, topic: str, level: str, actor: User | None = None) -> Bank:
    """Create an empty bank (flushes; audited), refusing a taken slug or a field the bank schema refuses, in words."""
    data = {"format": "quizapp-bank/1", "bank": slug, "title": title, "topic": topic, "level": level, "questions": []}
    try:
        BankSpec.model_validate(data)
    except ValidationError as exc:
        raise DomainError(f"Bank {slug!r} cannot be created: {_bank_fields(exc)}") from None
    if transfer.find_bank(slug) is not None:
        raise DomainError(f"There is already a bank {slug!r}.")
    bank = Bank(slug=slug, title=title, topic=topic, level=level, description="", references={})
    db.session.add(bank)
    db.session.flush()
    audit.record(actor, "create", f"bank:{slug}", title=title, topic=topic, level=level)
    return bank


def _bank_fields(exc: ValidationError) -> str:
    """Say which bank fields are wrong: a slug of lowercase letters, digits and hyphens, a title, lay or provider."""
    rules = {
        "bank": "the slug must be 2 to 64 lowercase letters, digits and hyphens",
        "topic": "the topic must be 2 to 64 lowercase letters, digits and hyphens",
        "title": "the title must be 1 to 200 characters",
        "level": "the level must be lay or provider",
    }
    return "; ".join(dict.fromkeys(rules.get(str(e["loc"][0]), e["msg"]) for e in exc.errors()))


def category_bank(fmt: str, sources: list[transfer.Source]) -> tuple[str, str]:
    """Return (slug, name) of the bank the files' `$CATEGORY:` names: its last part; DomainError if none or several."""
    names: dict[str, str] = {}
    uncategorised = None
    for source in sources:
        for draft in FORMATS[fmt].parse(source.text).drafts:
            if draft.category is None:
                uncategorised = uncategorised or f"{source.name}: line {draft.line}"
            else:  # Moodle writes a `/` inside a category's name as `//`
                name = draft.category.replace("//", "\0").rsplit("/", 1)[-1].replace("\0", "/").strip()
                names.setdefault(drafts.category_tag(name) or "", name)
    if uncategorised:
        raise DomainError(f"{uncategorised}: a question before any $CATEGORY line; name the bank with --bank SLUG.")
    if not names:
        raise DomainError("No $CATEGORY line names a bank in these files; name the bank with --bank SLUG.")
    if len(names) > 1:
        found = ", ".join(repr(n) for n in names.values())
        raise DomainError(f"The files name {len(names)} categories ({found}); name the bank with --bank SLUG.")
    [(slug, name)] = names.items()
    if len(slug) < 2:
        raise DomainError(f"The category {name!r} makes no bank slug; name the bank with --bank SLUG.")
    return slug, name

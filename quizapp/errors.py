"""Domain errors that views turn into clear messages."""


class Transient(Exception):
    """A failure worth trying again later: the other side (a platform, a mail server) is away for now."""


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the user."""

    def __init__(self, message: str):
        """Keep the user-facing message."""
        super().__init__(message)
        self.message = message


class AttemptsExhausted(DomainError):
    """The learner has used every attempt the quiz allows."""


class AttemptClosed(DomainError):
    """The attempt no longer accepts answers (submitted, or its time ran out)."""


class Unconfirmed(DomainError):
    """A save from what an earlier request kept of the attempt and its user, refused: it is served again afresh."""


class AnswerLocked(DomainError):
    """In a practice quiz, a checked answer cannot be changed."""


class QuizUnavailable(DomainError):
    """The quiz cannot be started (unpublished, or its banks cannot fill it)."""

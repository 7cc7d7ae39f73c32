"""Database models, one module per aggregate."""

from quizapp.models.attempt import Attempt, AttemptStatus, Response
from quizapp.models.audit import AuditEvent
from quizapp.models.bank import Bank, Question, QuestionVersion
from quizapp.models.credential import Certificate, CredentialPrivacy, LearnerCard
from quizapp.models.image import Image
from quizapp.models.job import Job, JobState
from quizapp.models.lti import GradeStatus, LtiGrade, LtiKey, LtiLaunch, LtiLogin, LtiRegistration, LtiUser
from quizapp.models.mail import MailStatus, OutboxMessage
from quizapp.models.profile import LearnerProfile
from quizapp.models.quiz import Quiz
from quizapp.models.reminder import EmailVerification, MailPreference, Reminder
from quizapp.models.report import ReportSnapshot
from quizapp.models.reset import PasswordReset
from quizapp.models.secret import OneTimeSecret
from quizapp.models.staged import StagedImport
from quizapp.models.stamp import PoolStamp
from quizapp.models.user import Role, User

__all__ = [
    "Attempt",
    "AttemptStatus",
    "AuditEvent",
    "Bank",
    "Certificate",
    "CredentialPrivacy",
    "EmailVerification",
    "GradeStatus",
    "Image",
    "Job",
    "JobState",
    "LearnerCard",
    "LearnerProfile",
    "LtiGrade",
    "LtiKey",
    "LtiLaunch",
    "LtiLogin",
    "LtiRegistration",
    "LtiUser",
    "MailPreference",
    "MailStatus",
    "OneTimeSecret",
    "OutboxMessage",
    "PasswordReset",
    "PoolStamp",
    "Question",
    "QuestionVersion",
    "Quiz",
    "Reminder",
    "ReportSnapshot",
    "Response",
    "Role",
    "StagedImport",
    "User",
]

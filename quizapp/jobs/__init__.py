"""Background jobs on Celery: long work leaves the request, with a status row the user can follow."""

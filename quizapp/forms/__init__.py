"""WTForms (Flask-WTF) forms: input validation for every form."""

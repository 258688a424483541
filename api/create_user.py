"""Create a staff account.

    python -m api.create_user EMAIL [--role viewer|editor|admin] [--name NAME]

Asks for the password twice, or reads it from the environment variable PK_NEW_USER_PASSWORD
(for scripts). The password must pass the rule of `api.security.password_problem`: at least
10 characters and hard to guess (a few unrelated words do). Brings the schema up to date first.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from api.security import MIN_PASSWORD_CHARS, AccountError, create_user, password_problem
from service_catalog.db import new_session
from service_catalog.migrate import upgrade
from staff.accounts import ROLES

PASSWORD_ENV = "PK_NEW_USER_PASSWORD"


def _password(email: str, name: str | None) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    first = getpass.getpass(f"Password (at least {MIN_PASSWORD_CHARS} characters, hard to guess): ")
    problem = password_problem(first, email=email.strip().lower(), name=name)
    if problem:  # said before it is typed again
        raise AccountError(problem)
    if getpass.getpass("Again: ") != first:
        raise AccountError("the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create a staff account.")
    parser.add_argument("email")
    parser.add_argument("--role", choices=ROLES, default="viewer")
    parser.add_argument("--name")
    parser.add_argument("--database-url", help="defaults to the PK_DATABASE_URL setting")
    args = parser.parse_args(argv)
    upgrade(args.database_url)
    try:
        password = _password(args.email, args.name)
        with new_session(args.database_url) as session, session.begin():
            user = create_user(session, args.email, password, role=args.role, name=args.name)
            print(f"created {user.role} {user.email} (id {user.id})")
    except AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

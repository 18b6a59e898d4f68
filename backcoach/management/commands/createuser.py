import getpass
import os
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from backcoach.accounts.models import Person, normalize_email


class Command(BaseCommand):
    help = "Add a person who can log in. --staff lets them edit content in the admin."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--staff", action="store_true", help="may use the admin")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of asking",
        )

    def handle(self, *args, email, staff, password_stdin, **options):
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address") from None
        if Person.objects.filter(email__iexact=email).exists():
            raise CommandError(f"a person with the e-mail address {email} already exists")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("no password on standard input; nothing was created")
        else:
            password = self.ask_password()
        candidate = Person(email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from None
        if staff:
            Person.objects.create_superuser(email=email, password=password)
        else:
            Person.objects.create_user(email=email, password=password)
        self.stdout.write(f"Created {email}{' (staff)' if staff else ''}.")

    def ask_password(self) -> str:
        if not has_terminal():
            raise CommandError(
                "there is no terminal to ask for the password: give it on standard input "
                "with --password-stdin"
            )
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password again: ")
        except EOFError:
            raise CommandError("no password given; nothing was created") from None
        if again != password:
            raise CommandError("the two passwords differ; nothing was created")
        return password


def has_terminal() -> bool:
    """Whether getpass can ask without echoing: it asks on the controlling terminal, which
    a job under cron, systemd or a script with no terminal does not have."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return sys.stdin.isatty()
    return True

import getpass
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
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("the two passwords differ; nothing was created")
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

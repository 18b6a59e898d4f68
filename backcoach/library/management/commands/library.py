from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backcoach.library import content, services
from backcoach.safety.content import SOURCES_FILE


class Command(BaseCommand):
    help = "Load the technique and routine library from its content files, or check them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="load the content files into the database")
        load.add_argument(
            "--force", action="store_true", help="load even over edits made in the admin"
        )
        load.add_argument(
            "--dir",
            type=Path,
            default=content.CONTENT_DIR,
            help="content folder (default: the shipped library)",
        )
        check = actions.add_parser("check", help="validate the content files only")
        check.add_argument("--dir", type=Path, default=content.CONTENT_DIR)
        status = actions.add_parser("status", help="do the files and the database agree?")
        status.add_argument("--dir", type=Path, default=content.CONTENT_DIR)
        for subparser in (load, check, status):
            subparser.add_argument(
                "--sources",
                type=Path,
                default=SOURCES_FILE,
                help="the sources file that evidence notes cite (default: safety's)",
            )

    def handle(self, *args, action, dir, sources, **options):
        try:
            library = content.load_library(dir, sources_file=sources)
        except content.ContentError as exc:
            raise CommandError(f"content error: {exc}") from None
        except FileNotFoundError as exc:
            raise CommandError(f"content folder incomplete: {exc.filename} is missing") from None
        if action == "check":
            self.stdout.write(
                f"{len(library.techniques)} techniques, {len(library.routines)} "
                f"routines and {len(library.sources)} sources are valid."
            )
        elif action == "status":
            self.stdout.write(services.library_status(library))
        else:
            try:
                result = services.library_load(library=library, force=options["force"])
            except services.LibraryEdited as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(result.message)

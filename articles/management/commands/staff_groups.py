"""Create (or correct) the staff groups "editors" and "checkers"."""

from django.core.management.base import BaseCommand, CommandError

from articles.admin.groups import GROUPS, ensure_groups


class Command(BaseCommand):
    help = "Create or update the staff groups editors (edit archive content) and checkers (read-only)."

    def handle(self, *args, **options):
        try:
            groups = ensure_groups()
        except RuntimeError as error:
            raise CommandError(str(error))
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions ({len(GROUPS[name])} expected)")

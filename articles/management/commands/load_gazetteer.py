"""Load the Pinghu gazetteer (articles/places/gazetteer.json) and find every article's places."""

from django.core.management.base import BaseCommand, CommandError

from articles.places import gazetteer
from articles.places.mentions import gazetteer_changed


class Command(BaseCommand):
    help = "Add the gazetteer's places and aliases that are missing, then find them in the articles that name them."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(gazetteer.GAZETTEER), help="a gazetteer JSON file")

    def handle(self, *args, **options):
        try:
            places, aliases = gazetteer.load(options["file"])
        except gazetteer.GazetteerError as error:
            raise CommandError(str(error)) from error
        # Only new names can be found anew: a second load scans nothing.
        changed = gazetteer_changed(names=places + aliases) if places or aliases else set()
        self.stdout.write(f"地点 {len(places)} 个、别名 {len(aliases)} 个已加入；{len(changed)} 篇文章的地点已更新")

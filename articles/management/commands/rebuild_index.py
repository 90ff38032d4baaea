"""haystack's rebuild_index, replacing the index atomically on our engine.

haystack's own command runs clear_index and then update_index: readers get
no results from the clear until the last batch is committed, and the
documents go through one commit per batch. On a backend that can rebuild
(ours, articles/search/backend.py) this command calls its ``rebuild``
instead: several writer processes, one commit that swaps the new index in.
Any other backend (a search cluster) gets haystack's clear + update, as
before. Same options as haystack's command; ``--workers`` sets the number of
writer processes (default: PHNEWS_INDEX_PROCS, else one per core, at most 4).
"""

from django.core.management import call_command
from haystack import connections
from haystack.management.commands import rebuild_index
from haystack.utils.app_loading import haystack_get_models, haystack_load_apps


class Command(rebuild_index.Command):
    def handle(self, **options):
        using = options["using"] or list(connections.connections_info)
        verbosity = int(options.get("verbosity", 1))
        if options["interactive"] and not self._confirmed(using):
            self.stdout.write("No action taken.")
            return
        for alias in using:
            backend = connections[alias].get_backend()
            if not hasattr(backend, "rebuild"):
                self._haystack_rebuild(alias, options)
                continue
            unified = connections[alias].get_unified_index()
            for model in self._models(unified):
                index = unified.get_index(model)
                count = backend.rebuild(index, procs=options["workers"] or None, using=alias)
                if verbosity >= 1:
                    self.stdout.write(f"Indexed {count} {model._meta.verbose_name_plural} into '{alias}'.")

    def _confirmed(self, using):
        self.stdout.write(
            "This will replace the search index of connection '%s' with one built from the database. "
            "Searches keep using the current index until the new one is complete." % "', '".join(using)
        )
        return input("Are you sure you wish to continue? [y/N] ").lower().startswith("y")

    @staticmethod
    def _models(unified):
        indexed = set(unified.get_indexed_models())
        return [model for label in haystack_load_apps() for model in haystack_get_models(label) if model in indexed]

    def _haystack_rebuild(self, alias, options):
        common = {"using": [alias], "verbosity": options.get("verbosity", 1), "commit": options["commit"]}
        call_command("clear_index", interactive=False, **common)
        call_command("update_index", batchsize=options["batchsize"], workers=options["workers"],
                     max_retries=options["max_retries"], **common)

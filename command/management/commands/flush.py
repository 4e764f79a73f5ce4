"""Django's flush (tests with real transactions empty the tables between tests), as the schema's
owner: the app's own role may not TRUNCATE (command/db_roles.py)."""
from django.core.management.commands.flush import Command as DjangoFlush

from command import db_roles


class Command(DjangoFlush):
    def handle(self, **options):
        with db_roles.as_owner(options["database"]):
            super().handle(**options)

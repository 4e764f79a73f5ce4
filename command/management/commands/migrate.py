"""Django's migrate, run as the schema's owner role (DATABASE_OWNER_URL) when there is one, then the
app's role given exactly its privileges and the write-once guards installed (command/db_roles.py)."""
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from command import db_roles


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        alias = options["database"]
        with db_roles.as_owner(alias):
            super().handle(*args, **options)
            if app_role := db_roles.app_role():
                db_roles.app_role_grant(connections[alias], app_role)
            else:
                with connections[alias].cursor() as cursor:
                    db_roles.write_once_guard(cursor)

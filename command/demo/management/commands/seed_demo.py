from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from command.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Build or refresh the demo city (central Shanghai): space, staffing, this week's rota, demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="shanghai110", help="password of every demo login")
        parser.add_argument("--days-before", type=int, default=1)
        parser.add_argument("--days-after", type=int, default=7)
        parser.add_argument("--force", action="store_true", help="allow seeding in production mode")

    def handle(self, *args, password, days_before, days_after, force, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("seed_demo creates demo logins with a known password: refused in production (use --force)")
        if not (0 <= days_before <= 31 and 0 <= days_after <= 62):
            raise CommandError("--days-before must be 0-31 and --days-after 0-62")
        seed_demo(password=password, days_before=days_before, days_after=days_after, log=self.stdout.write)

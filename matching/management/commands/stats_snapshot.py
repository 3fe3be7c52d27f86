from django.core.management.base import BaseCommand

from matching.services import housekeeping


class Command(BaseCommand):
    help = ("Store today's row of the statistics trend (what the scheduler does each night; "
            "safe to run again: the day's row is replaced).")

    def handle(self, *args, **options):
        snapshot = housekeeping.stats_snapshot_take()
        self.stdout.write(f"{snapshot.day}: {snapshot.figures}")

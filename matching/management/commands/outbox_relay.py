from django.core.management.base import BaseCommand
from django.utils import timezone

from matching.services import outbox


class Command(BaseCommand):
    help = ("Send the tasks the outbox still holds (beat does this every minute), or with "
            "--status only list them.")

    def add_arguments(self, parser):
        parser.add_argument("--status", action="store_true", help="list pending tasks, send nothing")
        parser.add_argument("--all", action="store_true",
                            help="send every pending task now, ignoring the backoff")

    def handle(self, *args, **o):
        if o["all"] and not o["status"]:
            outbox.outbox_pending().update(send_after=timezone.now())
        if not o["status"]:
            self.stdout.write(f"sent {outbox.outbox_relay()}")
        pending = list(outbox.outbox_pending()[:20])
        self.stdout.write(f"pending {outbox.outbox_pending().count()}")
        for entry in pending:
            self.stdout.write(f"  {entry.created_at:%Y-%m-%d %H:%M:%S} {entry} "
                              f"attempts={entry.attempts} next={entry.send_after:%H:%M:%S} "
                              f"{entry.error}")

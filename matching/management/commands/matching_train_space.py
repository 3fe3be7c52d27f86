from django.core.management.base import BaseCommand

from matching.services.scoring import semantic_space


class Command(BaseCommand):
    help = ("Train the matching engine's semantic space again on today's works and needs "
            "(it is trained once per engine version, on the first rebuild); then start a "
            "full rebuild so that every score uses it.")

    def handle(self, *args, **options):
        space = semantic_space(retrain=True)
        if space is None:
            self.stdout.write("Too few documents to learn a space: scores stay lexical.")
        else:
            self.stdout.write(f"Trained: {len(space.terms):,} terms × "
                              f"{space.components.shape[0]} dimensions.")

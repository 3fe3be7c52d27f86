from django.core.management.base import BaseCommand

from matching import demo, demo_bounties


class Command(BaseCommand):
    help = "Build the demo district (deterministic; does nothing when it is already there)."

    def handle(self, *args, **options):
        if demo.already_seeded():
            self.stdout.write("The demo data is already there; nothing changed.")
        else:
            figures = demo.DemoBuilder().build()
            for key, value in figures.items():
                self.stdout.write(f"  {key}: {value}")
            run = demo.score_matches()
            self.stdout.write(f"  match scores: {run.scores_written} "
                              f"({run.researchers} researchers × {run.needs_total} open needs)")
        self.stdout.write(self.style.SUCCESS(
            f"Demo logins (password for each: {demo.PASSWORD})\n"
            f"  company manager: {demo.COMPANY_EMAIL}\n"
            f"  researcher:      {demo.RESEARCHER_EMAIL}\n"
            f"  district staff:  {demo.STAFF_EMAIL} (administrator, admin at /admin/)\n"
            f"  reviewer:        {demo.REVIEWER_EMAIL} (reviewer, admin at /admin/)\n"
            f"  expert:          {demo_bounties.EXPERT_EMAIL} (评审专家, /experts/panels/)"))

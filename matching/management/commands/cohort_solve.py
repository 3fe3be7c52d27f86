import json
import time

from django.core.management.base import BaseCommand, CommandError

from matching import assignment


class Command(BaseCommand):
    help = ("Solve a cohort assignment instance (JSON) with the min-cost-flow solver; "
            "no database needed.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--prune", type=int, default=0,
                            help="keep each side's N best candidates only (0: all)")

    def handle(self, *args, **o):
        try:
            with open(o["input"], encoding="utf-8") as f:
                instance = assignment.Instance.from_json(json.load(f))
            started = time.perf_counter()
            if o["prune"]:
                instance = assignment.prune(instance, o["prune"])
            result = assignment.solve(instance)
        except (OSError, json.JSONDecodeError, assignment.InvalidInstance) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        with open(o["output"], "w", encoding="utf-8") as f:
            json.dump(result.to_json(), f, ensure_ascii=False, indent=1)
        self.stdout.write(f"assigned {len(result.assignment)} pairs, total affinity "
                          f"{result.total_affinity:.4f}, {len(result.unassigned_researchers)} "
                          f"researchers unassigned, {len(result.unfilled)} seats not full; "
                          f"{elapsed:.3f} s")

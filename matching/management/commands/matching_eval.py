import json
import time

from django.core.management.base import BaseCommand, CommandError

from matching import engine
from matching.engine import evaluate, io


class Command(BaseCommand):
    help = ("Run the matching engine on JSON Lines files (no database needed) and, given "
            "labels, print recall@10, nDCG@10 and MRR.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--researchers", required=True)
        parser.add_argument("--needs", required=True)
        parser.add_argument("--labels")
        parser.add_argument("--out", required=True)
        parser.add_argument("--top", type=int, default=100)
        parser.add_argument("--processes", type=int, default=2)

    def handle(self, *args, **o):
        try:
            researchers = io.read_researchers(o["researchers"])
            needs = io.read_needs(o["needs"])
            labels = io.read_labels(o["labels"]) if o["labels"] else None
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        # The user dictionary: every keyword people entered, on either side.
        user_words = {k for r in researchers for k in r.keywords}
        user_words |= {k for r in researchers for w in r.works for k in w.keywords}
        user_words |= {k for n in needs for k in n.required_expertise}
        started = time.perf_counter()
        ranking = engine.rank(researchers, needs, top=o["top"], processes=o["processes"],
                              user_words=sorted(user_words))
        elapsed = time.perf_counter() - started
        with open(o["out"], "w", encoding="utf-8") as f:
            for need in needs:
                for researcher, score in ranking[need.id]:
                    f.write(json.dumps({"need": need.id, "researcher": researcher,
                                        "score": round(score, 6)}, ensure_ascii=False) + "\n")
        self.stdout.write(f"researchers: {len(researchers)}  needs: {len(needs)}  "
                          f"engine {engine.ENGINE_VERSION}: {elapsed:.2f} s")
        if labels is not None:
            ranked = {n: [r for r, _s in pairs] for n, pairs in ranking.items()}
            metrics = evaluate.summarise(ranked, labels, k=10)
            self.stdout.write("judged needs: {needs}  recall@10: {recall@10:.4f}  "
                              "nDCG@10: {ndcg@10:.4f}  MRR: {mrr:.4f}".format(**metrics))

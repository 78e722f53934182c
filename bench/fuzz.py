"""Random hostile inputs through parsing and extraction: how many hang, crash or run slow.

Usage: python bench/fuzz.py [--inputs 1000] [--seed 1] [--limit 30] [--slow 3]

Each input is one of four kinds, drawn with a seeded generator:
- news fragments: 1 to 30 pieces from the robustness tests' fragments (money, dates, titles, quotes, roles) and,
  when ../shared is beside the checkout, sentences of the BBC development articles (read there, not copied);
- symbol soup: up to 400 characters of currency signs, digits, brackets, quotes, dashes and letters;
- mutated sentences: a development sentence (or a fragment) with up to 10 symbols inserted at random places;
- long runs: one fragment or symbol repeated 100 to 3,000 times.

Every input is parsed with kg's pipeline and extracted under a time limit of ``--limit`` seconds. Prints and writes
bench/results/fuzz.json: the count of inputs, of each kind, of hangs (past the limit), crashes (any error that is
not kg's own) and slow inputs (over ``--slow`` seconds), the slowest time, and the first 300 characters of each
input that hung, crashed or ran slow.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KGError  # noqa: E402
from kg.extract import extract_facts  # noqa: E402
from kg.limits import DocumentTimeout, call_with_limit  # noqa: E402
from kg.model import Document  # noqa: E402
from kg.nlp import load_nlp  # noqa: E402
from kg.ontology import load_ontology  # noqa: E402
from tests.test_robustness import FRAGMENTS  # noqa: E402

SYMBOLS = "$%£€₹(0)1i \"'.,-:;!?\n“”‘’—…*&#@[]{}<>/\\"
DEV = ROOT.parent / "shared" / "eval" / "news" / "bbc-dev"


def _sentences() -> list[str]:
    found = []
    for path in sorted(DEV.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\n", " . ")
        found += [s.strip() for s in text.split(". ") if s.strip()]
    return found


def _inputs(rng: random.Random, count: int, sentences: list[str]) -> list[tuple[str, str]]:
    pool = FRAGMENTS + sentences
    made = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.4:
            made.append(("fragments", " ".join(rng.choice(pool) for _ in range(rng.randint(1, 30)))))
        elif draw < 0.7:
            made.append(("symbols", "".join(rng.choice(SYMBOLS + "abcdefAB ") for _ in range(rng.randint(1, 400)))))
        elif draw < 0.9:
            chars = list(rng.choice(sentences or FRAGMENTS))
            for _ in range(rng.randint(1, 10)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(SYMBOLS))
            made.append(("mutated", "".join(chars)))
        else:
            made.append(("long runs", rng.choice(FRAGMENTS + list(SYMBOLS.strip())) * rng.randint(100, 3000)))
    return [(kind, text) for kind, text in made if text.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=30.0, help="seconds before an input counts as hanging")
    parser.add_argument("--slow", type=float, default=3.0, help="seconds over which an input is listed as slow")
    args = parser.parse_args()
    nlp, onto = load_nlp(), load_ontology()
    sentences = _sentences()
    inputs = _inputs(random.Random(args.seed), args.inputs, sentences)
    kinds: dict[str, int] = {}
    hangs, crashes, slow = [], [], []
    slowest = 0.0
    started = time.perf_counter()
    for kind, text in inputs:
        kinds[kind] = kinds.get(kind, 0) + 1
        began = time.perf_counter()
        try:
            call_with_limit(args.limit, "fuzz input", "to parse and extract",
                            lambda: extract_facts(Document(id="urn:kg:fuzz", text=text), nlp(text), onto))
        except DocumentTimeout:
            hangs.append({"kind": kind, "chars": len(text), "text": text[:300]})
        except KGError:
            pass
        except Exception as exc:  # noqa: BLE001 - the point is to count every crash
            crashes.append({"kind": kind, "chars": len(text), "error": repr(exc)[:200], "text": text[:300]})
        seconds = time.perf_counter() - began
        slowest = max(slowest, seconds)
        if seconds > args.slow:
            slow.append({"kind": kind, "chars": len(text), "seconds": round(seconds, 2), "text": text[:300]})
    result = {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {platform.python_version()}",
        "command": f"python bench/fuzz.py --inputs {args.inputs} --seed {args.seed} --limit {args.limit:g}",
        "dev_sentences_used": len(sentences), "inputs": len(inputs), "kinds": kinds, "hangs": len(hangs),
        "crashes": len(crashes), "slow_inputs": len(slow), "slowest_seconds": round(slowest, 2),
        "total_seconds": round(time.perf_counter() - started, 1), "hung": hangs, "crashed": crashes, "slow": slow,
    }
    out = ROOT / "bench" / "results" / "fuzz.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(inputs)} inputs ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}): {len(hangs)} hung past "
          f"{args.limit:g} s, {len(crashes)} crashed, {len(slow)} over {args.slow:g} s; slowest {slowest:.2f} s; "
          f"{result['total_seconds']} s in all -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

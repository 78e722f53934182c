"""kg's own facts on Re-DocRED's film documents, scored on the six film relations.

Usage: python bench/redocred.py [--shared ../shared] [--split dev_revised_film.json]

Reads ``<shared>/eval/redocred/<split>`` (73 development documents about films, their people and their music), runs
kg's news extraction on each document's text (its tokens put back together as written) with the **rules only**:
the packaged relation classifier learned from Re-DocRED's development documents, so it would be scored in-sample
here. A fact is correct when the document's gold labels relate an entity one of whose mentions is the fact's
subject to one whose mention is the object (kg.evaluate.evaluate_redocred). Prints precision and recall per
relation and for the six together (P57 director, P58 screenwriter, P161 cast member, P162 producer, P272
production company, P577 publication date), and writes bench/results/redocred.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from pathlib import Path

from kg.evaluate import FILM_RELATIONS, evaluate_redocred

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"P57": "director", "P58": "screenwriter", "P161": "cast member", "P162": "producer",
         "P272": "production company", "P577": "publication date"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--split", default="dev_revised_film.json", help="file under eval/redocred")
    args = parser.parse_args()
    path = args.shared / "eval" / "redocred" / args.split
    if not path.exists():
        raise SystemExit(f"{path}: not found (the Re-DocRED data of ../shared)")
    started = time.perf_counter()
    result = evaluate_redocred(path, relations=FILM_RELATIONS)
    seconds = time.perf_counter() - started
    print(f"Re-DocRED {args.split}: {result['documents']} documents, rules only, {seconds:.0f} s")
    print(f"{'relation':26} {'facts':>5} {'right':>5} {'P':>5} {'gold':>5} {'found':>5} {'R':>5}")
    for pid, row in result["per_relation"].items():
        precision = f"{row['correct'] / row['facts']:.2f}" if row["facts"] else "  -"
        recall = f"{row['found'] / row['gold']:.2f}" if row["gold"] else "  -"
        print(f"{pid + ' ' + NAMES.get(pid, ''):26} {row['facts']:5} {row['correct']:5} {precision:>5} "
              f"{row['gold']:5} {row['found']:5} {recall:>5}")
    gold = sum(row["gold"] for row in result["per_relation"].values())
    found = sum(row["found"] for row in result["per_relation"].values())
    print(f"{'six film relations':26} {result['facts']:5} {result['correct']:5} {result['precision']:5.3f} "
          f"{gold:5} {found:5} {result['recall']:5.3f}")
    out = ROOT / "bench" / "results" / "redocred.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {"date": date.today().isoformat(), "machine": platform.platform(), "split": args.split,
              "seconds": round(seconds, 1), **{k: v for k, v in result.items() if k != "wrong"},
              "wrong": result["wrong"]}
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

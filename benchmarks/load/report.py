"""Turn the Locust CSVs of run.sh into the report: per endpoint requests/s and p50/p95/p99,
errors by status, budgets, the home/healthz throughput ratio and the machine's load."""

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

PAGE_BUDGET_MS, SUBMIT_BUDGET_MS = 500, 2000


def rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def main(results: Path) -> None:
    meta = json.loads((results / "meta.json").read_text())
    print(f"# Load test {meta['started']} → {meta['ended']}")
    print(
        f"\n{meta['users']} users, {meta['duration']}, against {meta['host']}; load average "
        f"before {meta['load_before']}, after {meta['load_after']} ({meta['cores']} cores, "
        "machine shared with other work: figures are pessimistic)\n"
    )
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failures | budget |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows(results / "mix_stats.csv"):
        name = f"{row['Type']} {row['Name']}".strip()
        p95 = float(row["95%"] or 0)
        if row["Name"] == "Aggregated":
            budget = ""
        else:
            limit = SUBMIT_BUDGET_MS if "[POST]" in name else PAGE_BUDGET_MS
            budget = ("ok" if p95 <= limit else "OVER") + f" (p95 ≤ {limit})"
        print(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.2f} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} "
            f"| {row['Failure Count']} | {budget} |"
        )
    statuses = Counter()
    print("\n## Errors\n")
    failures = rows(results / "mix_failures.csv")
    for row in failures:
        match = re.search(r"\b([1-5]\d\d)\b", row["Error"])
        statuses[match.group(1) if match else row["Error"][:60]] += int(row["Occurrences"])
        print(f"- {row['Method']} {row['Name']}: {row['Error'][:160]} × {row['Occurrences']}")
    if not failures:
        print("- none")
    print("\nBy status: " + (", ".join(f"{k}: {v}" for k, v in statuses.items()) or "none"))
    five = sum(v for k, v in statuses.items() if str(k).startswith("5"))
    print(f"5xx: {five}")
    ratio = {}
    for kind in ("home", "healthz"):
        agg = [r for r in rows(results / f"{kind}_stats.csv") if r["Name"] == "Aggregated"][0]
        ratio[kind] = float(agg["Requests/s"])
        print(
            f"\n{kind} alone ({meta['ratio_users']} users, {meta['ratio_duration']}): "
            f"{ratio[kind]:.1f} req/s, p50 {agg['50%']} ms, p95 {agg['95%']} ms, p99 {agg['99%']}"
        )
    if ratio.get("healthz"):
        share = ratio["home"] / ratio["healthz"]
        print(f"\nhome / healthz throughput ratio: {share:.2f} (goal ≥ 0.5)")
    verify = results / "verify.json"
    if verify.exists():
        print("\n## Writes\n\n```\n" + verify.read_text().strip() + "\n```")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

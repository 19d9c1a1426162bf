#!/usr/bin/env python3
"""Writes a synthetic sales organisation in Bullpen's content format.

Deterministic: the same arguments give the same files. N reps, a manager
per 8 reps, a leader per 8 managers, P quarters of figures, K playbooks of
600-1,200 words (headings, lists, tables, links between playbooks), and
coaching plans for a quarter of the reps.

    python3 bench/generate.py OUT --reps 2000 --quarters 8 --playbooks 300
"""
import argparse
import os
import random

WORDS = (
    "buyer champion pipeline quota forecast discovery qualification budget authority need timeline "
    "pricing value proposal demo proof stakeholder procurement legal security review renewal expansion "
    "territory account opportunity stage close commit upside risk objection competitor differentiation "
    "sequence cadence outreach meeting agenda follow-up next-step decision criteria process paper economic "
    "metrics pain impact outcome evidence milestone success plan onboarding ramp coaching call recording "
    "notes handoff implementation timeline mutual plan executive sponsor signature discount concession "
    "trade term payment annual quarter region segment enterprise mid-market startup partner channel"
).split()

SECTIONS = ["prospecting", "discovery", "qualification", "demo", "negotiation", "closing", "forecasting", "management"]
STAGES = ["prospecting", "discovery", "qualification", "demo", "negotiation", "closing", "forecasting", "account-management", "onboarding"]


def sentence(rng, lo=8, hi=18):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def paragraph(rng, n=None):
    return " ".join(sentence(rng) for _ in range(n or rng.randint(3, 6)))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def quarters(count):
    year, q = 2026, 3
    out = []
    for _ in range(count):
        out.append(f"{year}-Q{q}")
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return list(reversed(out))


def playbook_body(rng, index, paths):
    parts = []
    words = 0
    target = rng.randint(600, 1200)
    heading = 0
    while words < target:
        heading += 1
        parts.append(f"## {sentence(rng, 2, 4)[:-1]} {heading}\n")
        text = paragraph(rng)
        words += len(text.split())
        parts.append(text + "\n")
        kind = heading % 4
        if kind == 1:
            items = [f"- {sentence(rng, 5, 10)}" for _ in range(rng.randint(3, 6))]
            parts.append("\n".join(items) + "\n")
            words += sum(len(i.split()) for i in items)
        elif kind == 2:
            rows = ["| Signal | What it means | Next step |", "|---|---|---|"]
            for _ in range(rng.randint(3, 5)):
                rows.append("| " + " | ".join(sentence(rng, 2, 5) for _ in range(3)) + " |")
            parts.append("\n".join(rows) + "\n")
            words += 30
        elif kind == 3:
            other = paths[(index + heading) % len(paths)]
            parts.append(f"See [the related playbook](../{other}.md) before the next call. {sentence(rng)}\n")
            words += 15
        else:
            parts.append(f"### {sentence(rng, 2, 3)[:-1]}\n\n1. {sentence(rng)}\n2. {sentence(rng)}\n3. {sentence(rng)}\n")
            words += 40
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--playbooks", type=int, default=300)
    parser.add_argument("--deals", type=int, default=0, help="rows of a CRM deals export (closed-won and deal counts then come from it)")
    parser.add_argument("--snapshots", type=int, default=0, metavar="DEALS",
                        help="two weekly snapshots of this many open deals each, in deals/snapshots/")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    content = os.path.join(args.out, "content")

    site = "title: Synthetic Sales\nbase_url: https://example.com/\ncurrency: USD\nperiod: quarter\n"
    if args.deals:
        site += (
            "deals:\n  columns: {id: Opportunity ID, owner: Opportunity Owner, stage: Stage, created: Created Date, "
            "closed: Close Date, amount: Amount, account: Account Name, next_step: Next Step}\n"
            "  stages: {won: [Closed Won], lost: [Closed Lost], open: [Prospecting, Qualification, Proposal/Price Quote, Negotiation/Review]}\n  owner_match: id\n  required: [amount, closed, next_step]\n"
        )
    write(os.path.join(content, "site.yaml"), site)

    managers = max(1, args.reps // 8)
    leaders = max(1, managers // 8)
    for l in range(leaders):
        write(os.path.join(content, "people", f"leader-{l:04d}.yaml"), f"name: Leader {l}\nrole: leader\n")
    for m in range(managers):
        write(os.path.join(content, "people", f"manager-{m:05d}.yaml"),
              f"name: Manager {m}\nrole: manager\nmanager: leader-{m % leaders:04d}\nteam: Team {m}\n")
    periods = quarters(args.quarters)
    for r in range(args.reps):
        start_year = rng.choice([2022, 2023, 2024, 2025])
        write(os.path.join(content, "people", f"rep-{r:06d}.yaml"),
              f"name: Rep {r}\nrole: rep\nmanager: manager-{r % managers:05d}\nteam: Team {r % managers}\n"
              f"region: Region {r % 5}\nstart: {start_year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n")

    for period in periods:
        lines = [f"period: {period}", "people:"]
        for r in range(args.reps):
            quota = rng.randrange(80, 200) * 1000
            won = int(quota * rng.uniform(0.4, 1.5))
            deals_won = rng.randint(0, 12)
            activities = (f"activities: {{calls: {rng.randint(100, 400)}, emails: {rng.randint(200, 600)}, "
                          f"meetings: {rng.randint(10, 40)}, demos: {rng.randint(3, 20)}}}")
            if args.deals:
                lines.append(f"  rep-{r:06d}: {{quota: {quota}, pipeline: {quota * rng.randint(2, 4)}, forecast: {int(won * rng.uniform(0.8, 1.2))}, {activities}}}")
            else:
                lines.append(
                    f"  rep-{r:06d}: {{quota: {quota}, closed_won: {won}, deals_won: {deals_won}, deals_lost: {rng.randint(0, 15)}, "
                    f"pipeline: {quota * rng.randint(2, 4)}, forecast: {int(won * rng.uniform(0.8, 1.2))}, cycle_days: {rng.randint(20, 90)}, "
                    f"opportunities_created: {rng.randint(5, 30)}, {activities}}}")
        write(os.path.join(content, "performance", f"{period}.yaml"), "\n".join(lines) + "\n")

    paths = [f"{SECTIONS[i % len(SECTIONS)]}/playbook-{i:05d}" for i in range(args.playbooks)]
    for section in SECTIONS:
        write(os.path.join(content, "playbooks", section, "_index.md"), f"---\ntitle: {section.capitalize()}\n---\n{paragraph(rng, 2)}\n")
    for i, path in enumerate(paths):
        front = (f"---\ntitle: Playbook {i}\nowner: manager-{i % managers:05d}\nstage: {STAGES[i % len(STAGES)]}\n"
                 f"tags: [{SECTIONS[i % len(SECTIONS)]}, synthetic]\nsummary: {sentence(rng, 6, 10)}\n---\n")
        # Links are written relative to the section folder.
        body = playbook_body(rng, i, paths)
        write(os.path.join(content, "playbooks", path + ".md"), front + body)

    if args.deals:
        write_deals(os.path.join(content, "deals", "salesforce-export.csv"), args.deals, args.reps, periods, rng)
    if args.snapshots:
        write_snapshots(os.path.join(content, "deals", "snapshots"), args.snapshots, args.reps, periods, rng)

    latest = periods[-1]
    for r in range(0, args.reps, 4):
        rep = f"rep-{r:06d}"
        plan = (f"---\nrep: {rep}\ncoach: manager-{r % managers:05d}\nperiod: {latest}\nstatus: active\n"
                f"assessment: {{discovery: {rng.randint(1, 5)}, qualification: {rng.randint(1, 5)}, negotiation: {rng.randint(1, 5)}}}\n"
                f"goals:\n  - metric: win_rate\n    baseline: 0.25\n    target: 0.35\n    due: 2026-09-30\n"
                f"actions:\n  - {{what: Review two calls, due: 2026-08-15, done: false}}\n"
                f"sessions:\n  - {{date: 2026-07-10, notes: {sentence(rng)}}}\n---\n{paragraph(rng)}\n")
        write(os.path.join(content, "coaching", rep, f"{latest}.md"), plan)


def write_deals(path, count, reps, periods, rng):
    """A Salesforce-style opportunity report: won, lost and open deals over the periods."""
    import datetime
    first_year, first_q = int(periods[0][:4]), int(periods[0][-1])
    start = datetime.date(first_year, 3 * (first_q - 1) + 1, 1)
    span = len(periods) * 91 - 1
    stages = ["Closed Won", "Closed Lost", "Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review"]
    accounts = ["Acme, Inc.", "Globex", "Initech", "Umbrella Corp", "Hooli", "Vandelay Industries", "Stark, Wayne & Co."]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Opportunity ID,Opportunity Owner,Account Name,Stage,Amount,Created Date,Close Date,Next Step\n")
        for n in range(count):
            created = start + datetime.timedelta(days=rng.randint(0, span - 60))
            closed = created + datetime.timedelta(days=rng.randint(5, 60))
            stage = stages[rng.randrange(len(stages))]
            next_step = "" if rng.random() < 0.2 else "Send proposal"
            f.write(f"006{n:012d},rep-{rng.randrange(reps):06d},\"{accounts[n % len(accounts)]}\",{stage},"
                    f"{rng.randint(1, 200) * 500},{created.isoformat()},{closed.isoformat()},{next_step}\n")


def write_snapshots(folder, count, reps, periods, rng):
    """Two weekly exports of the open pipeline in the last period: the second
    moves a tenth of the deals (won, lost, pushed, amounts changed) and adds
    a few new ones."""
    import datetime
    year, q = int(periods[-1][:4]), int(periods[-1][-1])
    start = datetime.date(year, 3 * (q - 1) + 1, 1)
    older, newer = start + datetime.timedelta(days=35), start + datetime.timedelta(days=42)
    stages = ["Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review"]
    header = "Opportunity ID,Opportunity Owner,Account Name,Stage,Amount,Created Date,Close Date,Next Step\n"
    os.makedirs(folder, exist_ok=True)
    deals = []
    for n in range(count):
        created = start - datetime.timedelta(days=rng.randint(0, 120))
        closes = start + datetime.timedelta(days=rng.randint(40, 140))
        deals.append([f"007{n:012d}", f"rep-{rng.randrange(reps):06d}", "Acme", stages[rng.randrange(4)],
                      rng.randint(1, 200) * 500, created.isoformat(), closes.isoformat(), "Call"])
    def write_one(day, rows):
        with open(os.path.join(folder, f"{day.isoformat()}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(header)
            for row in rows:
                f.write(",".join(str(c) for c in row) + "\n")
    write_one(older, deals)
    moved = []
    for row in deals:
        row = list(row)
        roll = rng.random()
        if roll < 0.03:
            row[3] = "Closed Won"
        elif roll < 0.05:
            row[3] = "Closed Lost"
        elif roll < 0.08:
            row[6] = (datetime.date.fromisoformat(row[6]) + datetime.timedelta(days=90)).isoformat()
        elif roll < 0.10:
            row[4] = row[4] + 500
        moved.append(row)
    for n in range(count // 50):
        moved.append([f"008{n:012d}", f"rep-{rng.randrange(reps):06d}", "Globex", "Prospecting",
                      rng.randint(1, 200) * 500, older.isoformat(), (start + datetime.timedelta(days=80)).isoformat(), "Call"])
    write_one(newer, moved)


if __name__ == "__main__":
    main()

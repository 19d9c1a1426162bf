#!/usr/bin/env python3
"""Builds a synthetic organisation with Bullpen (and its playbooks with Hugo,
side by side) and prints wall time, CPU time, peak memory and pages per
second for each run; optionally measures `bullpen serve` from saving a
playbook to the reload signal.

    python3 bench/run.py --reps 6000 --quarters 8 --playbooks 3000 --runs 3
    python3 bench/run.py --reps 60 --quarters 8 --playbooks 3000 --hugo
    python3 bench/run.py --reps 6000 --quarters 8 --playbooks 3000 --runs 0 --serve 20
    python3 bench/run.py --reps 6000 --quarters 8 --playbooks 3000 --hugo --hugo-playbooks 10000
    python3 bench/run.py --reps 60 --quarters 8 --playbooks 10000 --hugo --zola ~/bin/zola

Everything is written under --work (default /dev/shm/bullpen-bench): tmpfs
measures the programs, not the disk. Runs of the tools compared alternate.
Hugo is Debian's `hugo` package, installed with apt-get when missing.
`--hugo-playbooks N` gives Hugo the Markdown of an organisation with N
playbooks while Bullpen builds the one named by --reps/--playbooks: Hugo on
10,000 pages is the yardstick of the machine's speed that day. Zola is not
packaged; `--zola PATH` adds it when a binary is at hand (its front matter
is converted to TOML), and nothing is said of it otherwise. Each summary
states Bullpen's median as a ratio of the others' medians in the same run.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HUGO_CONFIG = """baseURL = "https://example.com/"
title = "Synthetic playbooks"
disableKinds = ["taxonomy", "term"]
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

# A page template close to Bullpen's playbook page: title, summary, table
# of contents, body; lists for sections and the home page.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<nav class="toc">{{ .TableOfContents }}</nav>{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ with .Params.summary }}— {{ . }}{{ end }}</li>{{ end }}
</ul>{{ end }}
""",
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def measure(cmd, out_dir):
    """Runs cmd; returns (wall s, cpu s, peak KB, pages written)."""
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr}")
    pages = sum(1 for _, _, files in os.walk(out_dir) for f in files if f.endswith(".html"))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, pages


def ensure_hugo():
    if shutil.which("hugo"):
        return
    print("installing Debian's hugo package ...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    sh(sudo + ["apt-get", "update", "-qq"])
    sh(sudo + ["apt-get", "install", "-y", "-qq", "hugo"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def hugo_site(org, site):
    """The org's playbook Markdown as a Hugo site (front matter kept)."""
    if os.path.exists(site):
        shutil.rmtree(site)
    shutil.copytree(os.path.join(org, "content", "playbooks"), os.path.join(site, "content", "playbooks"))
    # Bullpen's section files are `_index.md` too, so sections carry over.
    with open(os.path.join(site, "config.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(site, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


ZOLA_TEMPLATES = {
    "base.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{% block title %}{{ config.title }}{% endblock %}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ config.title }}</a></header><main>{% block main %}{% endblock %}</main></body></html>
""",
    "page.html": """{% extends "base.html" %}{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}
{% block main %}<article><h1>{{ page.title }}</h1>{% if page.description %}<p class="summary">{{ page.description }}</p>{% endif %}
<nav class="toc"><ul>{% for h in page.toc %}<li><a href="{{ h.permalink | safe }}">{{ h.title }}</a></li>{% endfor %}</ul></nav>
{{ page.content | safe }}</article>{% endblock %}
""",
    "section.html": """{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1><ul>
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> {% if p.description %}— {{ p.description }}{% endif %}</li>{% endfor %}
</ul>{% endblock %}
""",
    "index.html": """{% extends "base.html" %}{% block main %}<h1>{{ config.title }}</h1>{% endblock %}
""",
}


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def zola_site(org, site):
    """The org's playbook Markdown as a Zola site: the same bodies, front
    matter as TOML (title, description; the rest under [extra])."""
    if os.path.exists(site):
        shutil.rmtree(site)
    source = os.path.join(org, "content", "playbooks")
    for dirpath, _, files in os.walk(source):
        for name in files:
            if not name.endswith(".md"):
                continue
            text = open(os.path.join(dirpath, name), encoding="utf-8").read()
            meta, body = {}, text
            if text.startswith("---\n"):
                head, _, body = text[4:].partition("\n---\n")
                for row in head.splitlines():
                    key, _, value = row.partition(":")
                    meta[key.strip()] = value.strip()
            front = ["+++"]
            if "title" in meta:
                front.append(f"title = {toml_string(meta.pop('title'))}")
            if "summary" in meta:
                front.append(f"description = {toml_string(meta.pop('summary'))}")
            extra = [f"{key} = {toml_string(value)}" for key, value in meta.items() if key]
            if extra:
                front += ["[extra]"] + extra
            front.append("+++")
            target = os.path.join(site, "content", "playbooks", os.path.relpath(dirpath, source), name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write("\n".join(front) + "\n" + body)
    with open(os.path.join(site, "config.toml"), "w") as f:
        f.write('base_url = "https://example.com"\ntitle = "Synthetic playbooks"\nbuild_search_index = false\n')
    for name, text in ZOLA_TEMPLATES.items():
        path = os.path.join(site, "templates", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def line(tool, run, wall, cpu, peak_kb, pages):
    print(f"{tool:8} run {run}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {peak_kb / 1024:7.1f} MiB peak, "
          f"{pages:6d} pages, {pages / wall:8.0f} pages/s", flush=True)


def latest_figures(org):
    """The newest period file of the organisation, and an edit of one figure in it."""
    folder = os.path.join(org, "content", "performance")
    path = os.path.join(folder, sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))[-1])

    def edit(original, i):
        at = original.index("closed_won: ") + len("closed_won: ")
        end = original.index(",", at)
        return original[:at] + str(int(original[at:end]) + i + 1) + original[end:]
    return path, edit


def first_playbook(org):
    """The first playbook of the organisation, and an edit of its text."""
    for dirpath, _, files in sorted(os.walk(os.path.join(org, "content", "playbooks"))):
        names = sorted(f for f in files if f.endswith(".md") and f != "_index.md")
        if names:
            return os.path.join(dirpath, names[0]), lambda original, i: original + f"\nEdit number {i} of the benchmark.\n"
    sys.exit("the organisation has no playbook")


def serve_latency(binary, org, edits, audience, target=first_playbook):
    """Saves a file `edits` times (a playbook, or with target=latest_figures
    a figure); seconds from each save to the reload event."""
    proc = subprocess.Popen([binary, "serve", "--root", org, "--port", "0", "--audience", audience],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        for text in proc.stderr:
            if "http://" in text:
                address = text.split("http://", 1)[1].split("/", 1)[0]
                break
        if not address:
            sys.exit("serve did not start")
        host, port = address.split(":")
        events = socket.create_connection((host, int(port)))
        events.sendall(f"GET /_bullpen/events HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
        stream = events.makefile("rb")

        def next_version():
            while True:
                raw = stream.readline()
                if not raw:
                    sys.exit("the event stream ended")
                if raw.startswith(b"data: "):
                    return int(raw[6:])

        next_version()
        playbook, edit = target(org)
        original = open(playbook, encoding="utf-8").read()
        times = []
        try:
            for i in range(edits):
                time.sleep(0.3)  # a person types between saves
                start = time.perf_counter()
                with open(playbook, "w", encoding="utf-8") as f:
                    f.write(edit(original, i))
                next_version()
                times.append(time.perf_counter() - start)
        finally:
            with open(playbook, "w", encoding="utf-8") as f:
                f.write(original)
        return times, os.path.relpath(playbook, org)
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=6000)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--playbooks", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="builds per tool (alternating)")
    parser.add_argument("--audience", default="team")
    parser.add_argument("--hugo", action="store_true", help="also build the playbooks with Hugo, alternating")
    parser.add_argument("--hugo-playbooks", type=int, default=0, metavar="N",
                        help="give Hugo the playbooks of an organisation with N playbooks (default: this one's)")
    parser.add_argument("--zola", default="", metavar="PATH",
                        help="also build the playbooks with the Zola binary at PATH, alternating")
    parser.add_argument("--serve", type=int, default=0, metavar="EDITS",
                        help="also measure serve: save a playbook EDITS times, time each reload signal")
    parser.add_argument("--serve-figures", type=int, default=0, metavar="EDITS",
                        help="also measure serve: change a figure EDITS times, time each reload signal")
    parser.add_argument("--work", default="/dev/shm/bullpen-bench")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "bullpen"))
    args = parser.parse_args()

    if args.binary == os.path.join(REPO, "target", "release", "bullpen"):
        sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(REPO, "Cargo.toml")])
    def generated(reps, playbooks):
        """The organisation of this size (made once, kept under --work)."""
        path = os.path.join(args.work, f"org-{reps}r-{args.quarters}q-{playbooks}p")
        if not os.path.isdir(path):
            sh([sys.executable, os.path.join(HERE, "generate.py"), path, "--reps", str(reps),
                "--quarters", str(args.quarters), "--playbooks", str(playbooks)], stdout=subprocess.DEVNULL)
        return path

    org = generated(args.reps, args.playbooks)
    name = os.path.basename(org)
    files = sum(len(f) for _, _, f in os.walk(os.path.join(org, "content")))
    print(f"{name}: {files} content files, {args.audience} build, output under {args.work}", flush=True)

    # The yardstick's Markdown: a small organisation's playbooks.
    markdown_org = generated(60, args.hugo_playbooks) if args.hugo_playbooks else org
    others = {}
    if args.hugo:
        ensure_hugo()
        hugo_src = os.path.join(args.work, os.path.basename(markdown_org) + "-hugo")
        hugo_site(markdown_org, hugo_src)
        print(subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip(), flush=True)
        others["hugo"] = ["hugo", "--quiet", "--source", hugo_src, "--destination"]
    zola = os.path.expanduser(args.zola) if args.zola else ""
    if zola and os.access(zola, os.X_OK):
        zola_src = os.path.join(args.work, os.path.basename(markdown_org) + "-zola")
        zola_site(markdown_org, zola_src)
        print(subprocess.run([zola, "--version"], capture_output=True, text=True).stdout.strip(), flush=True)
        others["zola"] = [zola, "--root", zola_src, "build", "--force", "--output-dir"]
    if others and markdown_org != org:
        print(f"the others build the playbooks of {os.path.basename(markdown_org)}", flush=True)

    results = {"bullpen": [], **{tool: [] for tool in others}}
    for run in range(1, args.runs + 1):
        out = os.path.join(args.work, "out-bullpen")
        m = measure([args.binary, "build", "--root", org, "--out", out, "--audience", args.audience], out)
        results["bullpen"].append(m)
        line("bullpen", run, *m)
        for tool, command in others.items():
            out = os.path.join(args.work, f"out-{tool}")
            m = measure(command + [out], out)
            results[tool].append(m)
            line(tool, run, *m)

    if args.runs:
        b = statistics.median(r[0] for r in results["bullpen"])
        peak = max(r[2] for r in results["bullpen"]) / 1024
        print(f"bullpen median {b:.2f} s wall, peak {peak:.0f} MiB")
        for tool in others:
            t = statistics.median(r[0] for r in results[tool])
            tool_peak = max(r[2] for r in results[tool]) / 1024
            print(f"{tool:7} median {t:.2f} s wall, peak {tool_peak:.0f} MiB; "
                  f"bullpen takes {b / t:.2f} x {tool}'s time ({t / b:.1f}x faster), same run")

    for edits, target, limit in ((args.serve, first_playbook, 100), (args.serve_figures, latest_figures, 300)):
        if not edits:
            continue
        times, playbook = serve_latency(args.binary, org, edits, args.audience, target)
        ms = sorted(t * 1000 for t in times)
        print(f"serve: saving {playbook} to the reload signal, {len(ms)} edits: "
              f"median {statistics.median(ms):.0f} ms, fastest {ms[0]:.0f} ms, slowest {ms[-1]:.0f} ms, "
              f"{sum(1 for t in ms if t <= limit)} of {len(ms)} within {limit} ms")
        print("  each, in ms: " + " ".join(f"{t:.0f}" for t in (x * 1000 for x in times)))


if __name__ == "__main__":
    main()

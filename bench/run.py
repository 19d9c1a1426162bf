#!/usr/bin/env python3
"""Builds a synthetic organisation with Bullpen (and its playbooks with Hugo,
side by side) and prints wall time, CPU time, peak memory and pages per
second for each run; optionally measures `bullpen serve` from saving a
playbook to the reload signal.

    python3 bench/run.py --reps 6000 --quarters 8 --playbooks 3000 --runs 3
    python3 bench/run.py --reps 60 --quarters 8 --playbooks 3000 --hugo
    python3 bench/run.py --reps 6000 --quarters 8 --playbooks 3000 --runs 0 --serve 20

Everything is written under --work (default /dev/shm/bullpen-bench): tmpfs
measures the programs, not the disk. Runs of the tools compared alternate.
Hugo is Debian's `hugo` package, installed with apt-get when missing.
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


def line(tool, run, wall, cpu, peak_kb, pages):
    print(f"{tool:8} run {run}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {peak_kb / 1024:7.1f} MiB peak, "
          f"{pages:6d} pages, {pages / wall:8.0f} pages/s", flush=True)


def serve_latency(binary, org, edits, audience):
    """Saves a playbook `edits` times; seconds from each save to the reload event."""
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
        playbook = None
        for dirpath, _, files in sorted(os.walk(os.path.join(org, "content", "playbooks"))):
            names = sorted(f for f in files if f.endswith(".md") and f != "_index.md")
            if names:
                playbook = os.path.join(dirpath, names[0])
                break
        original = open(playbook, encoding="utf-8").read()
        times = []
        try:
            for i in range(edits):
                time.sleep(0.3)  # a person types between saves
                start = time.perf_counter()
                with open(playbook, "w", encoding="utf-8") as f:
                    f.write(original + f"\nEdit number {i} of the benchmark.\n")
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
    parser.add_argument("--serve", type=int, default=0, metavar="EDITS",
                        help="also measure serve: save a playbook EDITS times, time each reload signal")
    parser.add_argument("--work", default="/dev/shm/bullpen-bench")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "bullpen"))
    args = parser.parse_args()

    if args.binary == os.path.join(REPO, "target", "release", "bullpen"):
        sh(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(REPO, "Cargo.toml")])
    name = f"org-{args.reps}r-{args.quarters}q-{args.playbooks}p"
    org = os.path.join(args.work, name)
    if not os.path.isdir(org):
        sh([sys.executable, os.path.join(HERE, "generate.py"), org, "--reps", str(args.reps),
            "--quarters", str(args.quarters), "--playbooks", str(args.playbooks)], stdout=subprocess.DEVNULL)
    files = sum(len(f) for _, _, f in os.walk(os.path.join(org, "content")))
    print(f"{name}: {files} content files, {args.audience} build, output under {args.work}", flush=True)

    if args.hugo:
        ensure_hugo()
        hugo_src = os.path.join(args.work, name + "-hugo")
        hugo_site(org, hugo_src)
        print(subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip(), flush=True)

    results = {"bullpen": [], "hugo": []}
    for run in range(1, args.runs + 1):
        out = os.path.join(args.work, "out-bullpen")
        m = measure([args.binary, "build", "--root", org, "--out", out, "--audience", args.audience], out)
        results["bullpen"].append(m)
        line("bullpen", run, *m)
        if args.hugo:
            out = os.path.join(args.work, "out-hugo")
            m = measure(["hugo", "--quiet", "--source", hugo_src, "--destination", out], out)
            results["hugo"].append(m)
            line("hugo", run, *m)

    if args.runs:
        b = statistics.median(r[0] for r in results["bullpen"])
        peak = max(r[2] for r in results["bullpen"]) / 1024
        print(f"bullpen median {b:.2f} s wall, peak {peak:.0f} MiB")
        if args.hugo:
            h = statistics.median(r[0] for r in results["hugo"])
            print(f"hugo    median {h:.2f} s wall; bullpen is {h / b:.1f}x faster, same run")

    if args.serve:
        times, playbook = serve_latency(args.binary, org, args.serve, args.audience)
        ms = sorted(t * 1000 for t in times)
        print(f"serve: saving {playbook} to the reload signal, {len(ms)} edits: "
              f"median {statistics.median(ms):.0f} ms, fastest {ms[0]:.0f} ms, slowest {ms[-1]:.0f} ms, "
              f"{sum(1 for t in ms if t <= 100)} of {len(ms)} within 100 ms")
        print("  each, in ms: " + " ".join(f"{t:.0f}" for t in (x * 1000 for x in times)))


if __name__ == "__main__":
    main()

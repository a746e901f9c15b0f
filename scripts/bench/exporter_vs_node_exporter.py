#!/usr/bin/env python3
"""Scrape swarmscope's exporter and node_exporter alternately in one run; print p50/p90 latency,
exposition size and RSS for both.

Usage: scripts/bench/exporter_vs_node_exporter.py [--rounds 300] [--warmup 50] [-- exporter flags]
Needs: exporter/target/swarmscope-exporter.jar (./mvnw -pl exporter -am package), a JDK >= 21
(scripts/java-home.sh) and prometheus-node-exporter on PATH (scripts/setup-host.sh).
Both are started here on loopback ports and stopped at the end; requests look like Prometheus's
(OpenMetrics Accept header, gzip), one new connection per scrape as Prometheus does after idle.
"""
import argparse, gzip, http.client, os, statistics, subprocess, sys, time

ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The flags and environment the exporter image uses (exporter/Dockerfile), so RSS here is what a node pays.
JAVA_OPTS = ["@" + os.path.join(ROOT, "exporter/jvm.flags")]


def scrape(port):
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics", headers={"Accept": ACCEPT, "Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    body = resp.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"port {port}: HTTP {resp.status}")
    if resp.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return elapsed, body


def wait_ready(port, proc, name):
    for _ in range(100):
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode}")
        try:
            scrape(port)
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{name} did not answer on {port}")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--ne-port", type=int, default=19310)
    ap.add_argument("--port", type=int, default=19311)
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    java = os.path.join(subprocess.check_output([os.path.join(ROOT, "scripts/java-home.sh")], text=True).strip(), "bin/java")
    jar = os.path.join(ROOT, "exporter/target/swarmscope-exporter.jar")
    procs = {
        "node_exporter": (args.ne_port, subprocess.Popen(
            ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{args.ne_port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)),
        "swarmscope": (args.port, subprocess.Popen(
            [java, *JAVA_OPTS, "-jar", jar, f"--web.listen-address=127.0.0.1:{args.port}", *args.extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "MALLOC_ARENA_MAX": "1"})),
    }
    try:
        for name, (port, proc) in procs.items():
            wait_ready(port, proc, name)
        times = {n: [] for n in procs}
        sizes = {}
        for i in range(args.warmup + args.rounds):
            for name, (port, _) in procs.items():
                elapsed, body = scrape(port)
                if i >= args.warmup:
                    times[name].append(elapsed * 1000)
                sizes[name] = body
        print(f"{'':14} {'p50 ms':>8} {'p90 ms':>8} {'lines':>7} {'bytes':>8} {'RSS MiB':>8}")
        for name, (port, proc) in procs.items():
            body = sizes[name]
            samples = sum(1 for l in body.decode().splitlines() if l and not l.startswith("#"))
            print(f"{name:14} {statistics.median(times[name]):8.2f} {pct(times[name], 90):8.2f} "
                  f"{samples:7d} {len(body):8d} {rss_mib(proc.pid):8.1f}")
        print(f"rounds={args.rounds} warmup={args.warmup} (alternating; sample lines exclude comments)")
    finally:
        for _, proc in procs.values():
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Polls indices (or data streams) every INTERVAL seconds for documents newer than the last one seen (sorted by
@timestamp, search_after) and records, for each newly seen document, (time seen) - (@timestamp):
the delay from Docker receiving the line to it being searchable. For
scripts/bench/bench-shipper-latency.sh.

Usage: es_latency_poll.py ES_URL SECONDS INTERVAL AFTER_NS STREAM [STREAM ...]
(AFTER_NS: only documents with a later @timestamp, in epoch nanoseconds, are counted)
Polls for SECONDS, then until no new document arrived for 15 s; prints per stream:
  <stream> <docs seen> <p50 s> <p90 s> <p99 s> <max s> <polls> <mean poll ms> <p99 s after the first 10 s>
Exact only when documents become visible in @timestamp order (one container, one bulk request
in flight, as in the benchmark); the script compares its total with _count to show misses.
"""
import json, sys, threading, time, urllib.error, urllib.request


def search(es, stream, after):
    body = {"size": 10000, "sort": [{"@timestamp": {"order": "asc", "numeric_type": "date_nanos"}}],
            "_source": False, "track_total_hits": False}
    if after is not None:
        body["search_after"] = [after]
    req = urllib.request.Request(f"{es}/{stream}/_search?ignore_unavailable=true&allow_no_indices=true",
                                 data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["hits"]["hits"]
    except urllib.error.HTTPError as e:
        if e.code == 503:  # the stream's first backing index is being created: nothing to see yet
            return []
        raise


def pct(s, p):
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def poll(es, stream, seconds, interval, after, out):
    delays, polls, poll_ns, last_new = [], 0, 0, time.monotonic()
    end = time.monotonic() + seconds
    while True:
        t0 = time.monotonic()
        while True:  # page through everything new
            q0 = time.monotonic_ns()
            hits = search(es, stream, after)
            seen = time.time_ns()
            polls += 1
            poll_ns += time.monotonic_ns() - q0
            for h in hits:
                ts = h["sort"][0]  # epoch nanoseconds (date_nanos sort value)
                delays.append((ts, (seen - ts) / 1e9))
                after = ts
            if hits:
                last_new = time.monotonic()
            if len(hits) < 10000:
                break
        now = time.monotonic()
        if now > end and now - last_new > 15:
            break
        time.sleep(max(0.0, interval - (now - t0)))
    out[stream] = (delays, polls, poll_ns)


def main():
    es, seconds, interval, after = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    streams = sys.argv[5:]
    out = {}
    threads = [threading.Thread(target=poll, args=(es, s, seconds, interval, after, out)) for s in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in streams:  # the delay over time, in 5 s buckets of @timestamp, on stderr
        delays = out[s][0]
        start = min((t for t, _ in delays), default=0)
        buckets = {}
        for t, x in delays:
            buckets.setdefault(int((t - start) // 5e9), []).append(x)
        print(f"{s}: seconds-from-first-line docs p50 max", file=sys.stderr)
        for b in sorted(buckets):
            v = sorted(buckets[b])
            print(f"  {b * 5:4d}-{b * 5 + 5:<4d} {len(v):6d} {pct(v, 50):7.3f} {v[-1]:7.3f}", file=sys.stderr)
    for s in streams:
        delays, polls, poll_ns = out[s]
        d = sorted(x for _, x in delays)
        start = min((t for t, _ in delays), default=0)
        steady = sorted(x for t, x in delays if t >= start + 10e9)  # after the first 10 s of lines
        print(s, len(d), *(f"{pct(d, p):.3f}" for p in (50, 90, 99, 100)), polls,
              f"{poll_ns / max(polls, 1) / 1e6:.1f}", f"{pct(steady, 99):.3f}")


if __name__ == "__main__":
    main()

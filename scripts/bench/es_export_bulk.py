#!/usr/bin/env python3
"""Exports every document of an index or data stream (scroll, sorted by _doc) into _bulk bodies of
`create` operations with the same _id, BATCH documents per file, for the plain bulk loader of
scripts/bench/bench-shipper-es.sh.

Usage: es_export_bulk.py ES_URL SOURCE OUT_DIR [BATCH=5000]
Prints: documents, files, mean source bytes per document.
"""
import json, os, sys, urllib.request


def call(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def main():
    es, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    os.makedirs(out, exist_ok=True)
    page = call(f"{es}/{source}/_search?scroll=2m", {"size": batch, "sort": ["_doc"]})
    docs = files = source_bytes = 0
    scroll_id = page["_scroll_id"]
    while page["hits"]["hits"]:
        lines = []
        for hit in page["hits"]["hits"]:
            src = json.dumps(hit["_source"], separators=(",", ":"), ensure_ascii=False)
            source_bytes += len(src.encode())
            lines.append(json.dumps({"create": {"_id": hit["_id"]}}))
            lines.append(src)
        with open(os.path.join(out, f"bulk-{files:05d}.ndjson"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        docs += len(page["hits"]["hits"])
        files += 1
        page = call(f"{es}/_search/scroll", {"scroll": "2m", "scroll_id": scroll_id})
        scroll_id = page.get("_scroll_id", scroll_id)
    req = urllib.request.Request(f"{es}/_search/scroll", data=json.dumps({"scroll_id": scroll_id}).encode(),
                                 method="DELETE", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()
    print(docs, files, round(source_bytes / max(docs, 1)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side table of the Java ImportanceBenchmark (JMH JSON) and the PyTorch peer (importance_bench.py JSON).

    python3 lfssd-bench/scripts/compare_with_peer.py jmh.json torch-peer.json [peer-label]

Java images/s: median over the measurement iterations of the secondary metric step:images.
PyTorch images/s: the peer's per-mode median (over its uncontended rounds; '*' = every round contended).
ratio = Java / PyTorch. Memory: Java heap.peak (sum of per-pool peaks, incl. uncollected garbage),
heap.retained (after a full GC) and rss.peak (VmHWM); PyTorch peak RSS (ru_maxrss).
"""
import json
import statistics
import sys


def java_results(path):
    out = {}
    for b in json.load(open(path)):
        p = b.get("params", {})
        if not b["benchmark"].endswith(".ImportanceBenchmark.step") or "config" not in p:
            continue  # another benchmark in the same file
        key = (p["config"], int(p["threads"]), p["mode"])
        sec = b["secondaryMetrics"]
        raw = [v for fork in sec["images"]["rawData"] for v in fork]
        mem = {k: sec[k]["score"] for k in ("heap.peak", "heap.retained", "rss.peak") if k in sec}
        out[key] = (statistics.median(raw), min(raw), max(raw), mem, raw)
    return out


def java_foreign(path):
    """Per measurement iteration, the cores other processes and guests took (ForeignLoadProfiler), in the
    order of java_results' raw list; None where the run had no such profiler."""
    out = {}
    for b in json.load(open(path)):
        p = b.get("params", {})
        if not b["benchmark"].endswith(".ImportanceBenchmark.step") or "config" not in p:
            continue
        sec = b["secondaryMetrics"]
        if "foreign.cores" in sec:
            out[(p["config"], int(p["threads"]), p["mode"])] = [v for fork in sec["foreign.cores"]["rawData"] for v in fork]
    return out


def peer_results(path, label):
    runs = json.load(open(path))["runs"]
    run = runs[label] if label else runs[sorted(runs, key=lambda k: runs[k].get("timestamp", ""))[-1]]
    out = {}
    for r in run["results"]:
        spec = r["spec"]
        for mode, m in r.get("modes", {}).items():
            if "images_per_s" in m:
                out[(spec["id"], spec["threads"], mode)] = (m["images_per_s"], m.get("contended", False), m.get("peak_rss_mib"))
    return out, run.get("timestamp", "?")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    java = java_results(sys.argv[1])
    peer, stamp = peer_results(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(f"peer run {stamp}")
    print(f"{'config':14}{'mode':6}{'T':>2} | {'Java img/s (min..max)':>24} | {'torch img/s':>11} | {'ratio':>5} |"
          f" {'heapPeak':>8} {'retained':>8} {'javaRSS':>8} {'torchRSS':>8}")
    for key in sorted(java, key=lambda k: (k[0], k[2] != "lfssd", k[1])):
        med, lo, hi, mem, _ = java[key]
        t = peer.get(key)
        torch = f"{t[0]:10.2f}{'*' if t[1] else ' '}" if t else f"{'-':>11}"
        ratio = f"{med / t[0]:5.2f}" if t else f"{'-':>5}"
        trss = f"{t[2]:7.0f}M" if t and t[2] else f"{'-':>8}"
        print(f"{key[0]:14}{key[2]:6}{key[1]:>2} | {med:9.2f} ({lo:6.2f}..{hi:6.2f}) | {torch} | {ratio} |"
              f" {mem.get('heap.peak', 0):7.0f}M {mem.get('heap.retained', 0):7.0f}M {mem.get('rss.peak', 0):7.0f}M {trss}")


if __name__ == "__main__":
    main()

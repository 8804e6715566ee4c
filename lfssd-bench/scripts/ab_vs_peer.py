#!/usr/bin/env python3
"""Java ImportanceBenchmark vs the PyTorch peer, run alternately (Java, torch, Java, torch, ...) in one window.

    mvn -B -ntp -q -DskipTests -pl lfssd-bench -am package
    python3 lfssd-bench/scripts/ab_vs_peer.py [--rounds 2] [--configs resnet18_b64,vit32_b16,vit224_b16]
                                              [--threads 1,2] [--out-dir DIR]

Each round runs the Java JMH benchmark (lfssd mode, every config x thread count, with PeakHeapProfiler)
and then the peer (/work/shared/peers/importance_bench.py under /usr/bin/python3, OpenBLAS with SkylakeX
kernels, lfssd mode) for the same configs and thread counts. The machine is shared, so alternating is
what makes the two sides comparable: both see the same background load, round after round.

Table: Java images/s = median over all JMH measurement iterations of all rounds (step:images), and the
same over the clean iterations only; torch images/s = median over rounds of the peer's per-run median,
which the peer takes over its clean rounds ('*' when every peer round was contended). A round or iteration
is clean when other processes and other guests (steal) took at most 0.25 cores during it (the peer's
rule, measured the same way on the Java side by ForeignLoadProfiler). Ratios = Java / torch, for all
Java iterations and for the clean ones (the like-for-like figure). Memory: Java heap.peak (sum of per-pool peaks, including uncollected garbage) and
rss.peak (VmHWM), maxima over rounds; torch peak RSS (ru_maxrss), maximum over rounds. The CPU model
(lscpu) and the load (uptime) before and after are printed with it. The raw JSON files stay in --out-dir.
Needs: apt-get install -y python3-torch python3-torchvision libopenblas0-openmp (see the peer's README).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_with_peer import java_foreign, java_results, peer_results  # noqa: E402

# The peer's --max-foreign default: a round in which others took more cores than this is left out.
MAX_FOREIGN = 0.25

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def sh(cmd, **kw):
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def cpu_model():
    """lscpu's model name, with family/model/stepping (a VM often reports only a generic name) and the CPU count."""
    fields = {}
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    simd = "avx512f" if "avx512f" in fields.get("Flags", "") else ("avx2" if "avx2" in fields.get("Flags", "") else "")
    return (f"{fields.get('Model name', 'unknown CPU')} (family {fields.get('CPU family', '?')} model "
            f"{fields.get('Model', '?')} stepping {fields.get('Stepping', '?')}, {fields.get('CPU(s)', '?')} CPUs"
            f"{', ' + simd if simd else ''}{', ' + fields['Hypervisor vendor'] + ' VM' if 'Hypervisor vendor' in fields else ''})")


def load():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_java(args, configs, threads, out):
    lock = ["-Djmh.ignoreLock=true"] if args.ignore_jmh_lock else []
    cmd = [args.java] + lock + ["-jar", args.jar, r"\.ImportanceBenchmark\.step$",
           "-p", "config=" + ",".join(configs), "-p", "mode=lfssd", "-p", "threads=" + ",".join(threads),
           "-prof", "org.lfssd.bench.PeakHeapProfiler", "-prof", "org.lfssd.bench.ForeignLoadProfiler", "-rf", "json", "-rff", out] + args.jmh.split()
    sh(cmd, stdout=subprocess.DEVNULL if args.quiet else None)
    return java_results(out), java_foreign(out)


def run_torch(args, configs, threads, out, label):
    cmd = [args.python, args.peer, "--blas", "openblas", "--set-env", "OPENBLAS_CORETYPE=SkylakeX",
           "--modes", "lfssd", "--configs", ",".join(configs), "--threads", ",".join(threads),
           "--out", out, "--label", label] + args.peer_args.split()
    sh(cmd, stdout=subprocess.DEVNULL if args.quiet else None)
    return peer_results(out, label)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2, help="A B pairs (default 2: Java torch Java torch)")
    ap.add_argument("--configs", default="resnet18_b64,vit32_b16,vit224_b16")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--jar", default=os.path.join(REPO, "lfssd-bench", "target", "benchmarks.jar"))
    ap.add_argument("--java", default="java")
    # A ResNet18 or ViT-224 step takes seconds: shorter warm-ups leave the JIT compiling during the
    # measurement, and at 2 threads its compiler threads then take the second core from the benchmark.
    ap.add_argument("--jmh", default="-wi 3 -w 5 -i 4 -r 5 -f 1", help="JMH options for each Java run")
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python with torch (Debian's)")
    ap.add_argument("--peer", default="/work/shared/peers/importance_bench.py")
    ap.add_argument("--peer-args", default="", help="extra options for the peer, e.g. '--rounds 3 --cap-s 15'")
    ap.add_argument("--out-dir", default=None, help="where the raw JSON goes (default: a new temp dir)")
    ap.add_argument("--no-ignore-jmh-lock", dest="ignore_jmh_lock", action="store_false",
                    help="respect /tmp/jmh.lock (by default it is ignored: on a shared host another user's JMH "
                         "holds it for hours, and the alternation with the peer already shares the load fairly)")
    ap.add_argument("--quiet", action="store_true", help="hide the benchmarks' own output")
    args = ap.parse_args()

    configs = [c for c in args.configs.split(",") if c]
    threads = [t for t in args.threads.split(",") if t]
    out_dir = args.out_dir or tempfile.mkdtemp(prefix="ab_vs_peer-")
    os.makedirs(out_dir, exist_ok=True)
    if not os.path.exists(args.jar):
        sys.exit(f"{args.jar} not found: build it with mvn -B -ntp -q -DskipTests -pl lfssd-bench -am package")

    load_before = load()
    java_img, java_mem, torch_img, torch_rss, torch_contended = {}, {}, {}, {}, {}
    java_clean = {}
    for r in range(args.rounds):
        stamp = time.strftime("%H:%M:%S")
        print(f"round {r + 1}/{args.rounds} at {stamp}: Java", file=sys.stderr, flush=True)
        jr, jf = run_java(args, configs, threads, os.path.join(out_dir, f"java-round{r + 1}.json"))
        for (config, t, mode), (med, lo, hi, mem, raw) in jr.items():
            java_img.setdefault((config, t), []).extend(raw)
            foreign = jf.get((config, t, mode), [None] * len(raw))
            java_clean.setdefault((config, t), []).extend(
                v for v, f in zip(raw, foreign) if f is not None and f <= MAX_FOREIGN)
            for k, v in mem.items():
                java_mem.setdefault((config, t), {})[k] = max(v, java_mem.get((config, t), {}).get(k, 0))
        print(f"round {r + 1}/{args.rounds}: torch", file=sys.stderr, flush=True)
        tr = run_torch(args, configs, threads, os.path.join(out_dir, f"torch-round{r + 1}.json"), f"ab-round{r + 1}")
        for (config, t, mode), (ips, contended, rss) in tr.items():
            if mode != "lfssd":
                continue
            torch_img.setdefault((config, t), []).append(ips)
            torch_contended[(config, t)] = torch_contended.get((config, t), True) and contended
            if rss:
                torch_rss[(config, t)] = max(rss, torch_rss.get((config, t), 0))

    print()
    print(f"CPU: {cpu_model()}; JDK: {subprocess.run([args.java, '-version'], capture_output=True, text=True).stderr.splitlines()[0]}")
    print(f"load before: {load_before}")
    print(f"load after:  {load()}")
    print(f"{args.rounds} alternating rounds (Java then torch); raw JSON in {out_dir}")
    print(f"| config | threads | Java img/s (median, all / clean iterations) | torch img/s (median) | ratio (all)"
          f" | ratio (clean) | Java peak heap | Java RSS | torch peak RSS |")
    print(f"|---|---|---|---|---|---|---|---|---|")
    for config in configs:
        for t in threads:
            key = (config, int(t))
            j = java_img.get(key)
            tt = torch_img.get(key)
            jm = statistics.median(j) if j else None
            tm = statistics.median(tt) if tt else None
            clean = java_clean.get(key)
            jc = statistics.median(clean) if clean else None
            ratio = f"{jm / tm:.2f}" if jm and tm else "-"
            ratio_clean = f"{jc / tm:.2f}" if jc and tm else "-"
            mem = java_mem.get(key, {})
            star = "*" if torch_contended.get(key) else ""
            all_and_clean = f"{jm:.2f} / " + (f"{jc:.2f} ({len(clean)} of {len(j)})" if jc else f"- (0 of {len(j)})")
            print(f"| {config} | {t} | {all_and_clean} |" if jm else f"| {config} | {t} | - |", end="")
            print(f" {tm:.2f}{star} |" if tm else " - |", end="")
            print(f" {ratio} | {ratio_clean} | {mem.get('heap.peak', 0):.0f} MiB | {mem.get('rss.peak', 0):.0f} MiB |"
                  f" {torch_rss.get(key, 0):.0f} MiB |")
    print("Java: ImportanceBenchmark -p mode=lfssd " + args.jmh + "; torch: importance_bench.py --blas openblas "
          "--set-env OPENBLAS_CORETYPE=SkylakeX --modes lfssd. '*' = every peer round saw another process on the CPU."
          f" Clean = others (processes and steal) took <= {MAX_FOREIGN} cores in the iteration or round.")


if __name__ == "__main__":
    main()

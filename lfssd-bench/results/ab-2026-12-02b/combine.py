# usage: python3 combine.py runA [runB]   (each dir: java-round*.json, torch-round*.json from ab_vs_peer.py)
# Per round (an alternated Java/PyTorch pair): Java = median img/s over its JMH iterations, all of them and
# the clean ones (ForeignLoadProfiler: others took <= 0.25 cores); PyTorch = the peer's median for the round
# (over its clean rounds). Ratios per pair, and the median over pairs.
import glob, json, os, re, statistics as st, sys

MAX_FOREIGN = 0.25
java, clean, torch = {}, {}, {}
for ri, d in enumerate(sys.argv[1:]):
    for f in sorted(glob.glob(os.path.join(d, 'java-round*.json'))):
        r = int(re.search(r'round(\d+)', f).group(1))
        for b in json.load(open(f)):
            p = b['params']
            sec = b['secondaryMetrics']
            raw = [v for fork in sec['images']['rawData'] for v in fork]
            fc = [v for fork in sec['foreign.cores']['rawData'] for v in fork] if 'foreign.cores' in sec else [None] * len(raw)
            key = (p['config'], int(p['threads']))
            java.setdefault(key, {})[(ri, r)] = st.median(raw)
            ok = [v for v, x in zip(raw, fc) if x is not None and x <= MAX_FOREIGN]
            clean.setdefault(key, {})[(ri, r)] = (st.median(ok) if ok else None, len(ok), len(raw))
    for f in sorted(glob.glob(os.path.join(d, 'torch-round*.json'))):
        r = int(re.search(r'round(\d+)', f).group(1))
        for label, run in json.load(open(f))['runs'].items():
            for res in run['results']:
                m = res.get('modes', {}).get('lfssd')
                if m and 'images_per_s' in m:
                    torch.setdefault((res['spec']['id'], res['spec']['threads']), {})[(ri, r)] = (m['images_per_s'], m.get('contended', False))

print('| config | threads | Java img/s per pair: all iterations / clean (n of 4) | PyTorch img/s per pair | ratio per pair (all / clean) | median ratio, all | median ratio, clean |')
print('|---|---|---|---|---|---|---|')
for cfg in ['resnet18_b64', 'vit32_b16', 'vit224_b16']:
    for t in (1, 2):
        key = (cfg, t)
        if key not in java:
            continue
        pairs = sorted(java[key])
        js, cs, ts, ra, rc = [], [], [], [], []
        for k in pairs:
            j = java[key][k]
            c, n, tot = clean[key][k]
            tv, cont = torch.get(key, {}).get(k, (None, False))
            js.append(f"{j:.2f} / " + (f"{c:.2f} ({n})" if c else f"- (0)"))
            ts.append(f"{tv:.2f}{'*' if cont else ''}" if tv else '-')
            if tv:
                ra.append(j / tv)
                rc.append(c / tv if c else None)
        per = ', '.join(f"{a:.2f}/" + (f"{b:.2f}" if b else '-') for a, b in zip(ra, rc))
        rcv = [x for x in rc if x]
        print(f"| {cfg} | {t} | {'; '.join(js)} | {', '.join(ts)} | {per} | **{st.median(ra):.2f}** | "
              + (f"**{st.median(rcv):.2f}** ({len(rcv)} pairs)" if rcv else '-') + ' |')

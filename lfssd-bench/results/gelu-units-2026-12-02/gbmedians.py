import re,sys,collections,statistics as st
# medians (min-max) per jar of GB.java output lines "<round> <tag> median ms: ..." (merge-gb.txt)
d=collections.defaultdict(lambda: collections.defaultdict(list))
for l in open(sys.argv[1]):
    m=re.match(r"\d+ (\S+) median ms: gelu fwd ([\d.]+) \(([\d.]+) ns/elem\), bwd ([\d.]+), expSum rows ([\d.]+)",l)
    if m:
        c=m.group(1); d[c]['fwd ns/el'].append(float(m.group(3))); d[c]['bwd ms'].append(float(m.group(4))); d[c]['expSum ms'].append(float(m.group(5)))
for c,v in d.items():
    print(c.ljust(10), '  '.join(f"{k} {st.median(x):.2f} [{min(x):.2f}-{max(x):.2f}] n={len(x)}" for k,x in v.items()))

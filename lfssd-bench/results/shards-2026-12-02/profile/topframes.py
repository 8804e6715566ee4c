import re,collections,sys
def load(fn):
    txt=open(fn).read()
    c=collections.Counter(); tot=0
    for e in txt.split('jdk.ExecutionSample')[1:]:
        m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
        if not m: continue
        frames=[re.sub(r'\(.*','',l.strip()) for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
        key=None
        for f in frames:
            if f.startswith('org.lfssd') and 'Parallel' not in f and 'WorkerPool' not in f and 'lambda' not in f:
                key=f; break
        if key is None: key=frames[0] if frames else '?'
        c[key]+=1; tot+=1
    return c,tot
a,ta=load(sys.argv[1]); b,tb=la=load(sys.argv[2])
sa=float(sys.argv[3]); sb=float(sys.argv[4])  # cpu seconds per step
keys=set(a)|set(b)
rows=[(k, a[k]/ta*sa*1000, b[k]/tb*sb*1000) for k in keys]
rows.sort(key=lambda r: -(abs(r[2]-r[1])))
print(f"samples {ta} {tb}")
for k,x,y in rows[:25]: print(f"{x:8.1f} {y:8.1f} {y-x:+8.1f}  {k}")

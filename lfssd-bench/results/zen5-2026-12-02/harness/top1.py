import re,collections,sys
txt=open(sys.argv[1]).read(); cpu=float(sys.argv[2])
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
print("samples",tot)
for k,n in c.most_common(30): print(f"{n/tot*100:6.1f}% {n/tot*cpu*1000:8.1f} ms  {k}")

import re,collections,sys
txt=open(sys.argv[1]).read(); target=sys.argv[2]; depth=int(sys.argv[3]) if len(sys.argv)>3 else 4
c=collections.Counter(); tot=0
for e in txt.split('jdk.ExecutionSample')[1:]:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    if not m: continue
    frames=[re.sub(r'\s+line:.*','',l.strip()) for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
    for i,f in enumerate(frames):
        if target in f:
            chain=[x for x in frames[i+1:] if 'lambda' not in x and 'Parallel' not in x and 'WorkerPool' not in x][:depth]
            c[' < '.join(re.sub(r'\(.*','',x).replace('org.lfssd.','') for x in chain)]+=1; tot+=1; break
print(target,tot)
for k,n in c.most_common(12): print(n,k)

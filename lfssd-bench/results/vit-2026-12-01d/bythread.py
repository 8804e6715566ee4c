import re,collections,sys
exec(open('cats.py').read().split('txt=open')[0])
txt=open(sys.argv[1]).read()
by=collections.defaultdict(collections.Counter); ser=collections.Counter()
for e in txt.split('jdk.ExecutionSample')[1:]:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    t=re.search(r'sampledThread = "([^"]*)"', e)
    if not m or not t: continue
    fr=[re.sub(r'\s+line:.*','',l.strip()) for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
    by[t.group(1)][cat(fr)]+=1
    if t.group(1)=='main' and not any('Parallel' in f or 'WorkerPool' in f for f in fr):
        # serial: main not within a Parallel call
        k=[f for f in fr if 'org.lfssd' in f and 'kernels.vector' not in f][:3]
        ser[' <- '.join(k)]+=1
cs=sorted(set(k for c in by.values() for k in c))
for c in cs: print(f"{c:40s}", {t:by[t][c] for t in by if t in('main','lfssd-worker-0')})
print('serial main samples', sum(ser.values()))
for k,v in ser.most_common(25): print(v,k[:300])

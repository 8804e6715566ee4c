import re,collections,sys
t=open(sys.argv[1]).read()
since=sys.argv[2] if len(sys.argv)>2 else None
c=collections.Counter(); tot=0
for e in t.split('jdk.ObjectAllocationSample {')[1:]:
    st=re.search(r'startTime = (\S+)',e).group(1)
    if since and st < since: continue
    w=re.search(r'weight = ([\d.]+) (\w+)',e)
    cls=re.search(r'objectClass = (\S+)',e).group(1)
    v=float(w.group(1))*{'bytes':1,'kB':1e3,'MB':1e6,'GB':1e9}.get(w.group(2),1)
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]',e,re.S)
    fr=[re.sub(r'\s+line:.*','',l.strip()) for l in m.group(1).strip().split('\n')] if m else []
    lf=next((f for f in fr if 'org.lfssd' in f),'?')
    vec=next((f for f in fr if 'jdk.incubator' in f),'')
    c[(cls.split('.')[-1],lf[:90],vec[:60])]+=v; tot+=v
print('total %.2f GB'%(tot/1e9))
for k,v in c.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 12): print('%.3f GB'%(v/1e9),k)

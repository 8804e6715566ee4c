import re,collections,sys,subprocess
txt=subprocess.run(['jfr','print','--stack-depth',str(int(sys.argv[2]) if len(sys.argv)>2 else 4),'--events','jdk.ObjectAllocationSample',sys.argv[1]],capture_output=True,text=True).stdout
c=collections.Counter()
for e in txt.split('jdk.ObjectAllocationSample')[1:]:
    cls=re.search(r'objectClass = (\S+)',e); w=re.search(r'weight = ([\d.]+) (\w+)',e)
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    fr=[re.sub(r'\(.*','',l.strip()).replace('org.lfssd.','') for l in (m.group(1).strip().split('\n') if m else []) if 'line:' in l]
    mult={'bytes':1,'kB':1e3,'MB':1e6,'GB':1e9}.get(w.group(2),1) if w else 0
    c[(cls.group(1) if cls else '?', ' < '.join(fr))]+=float(w.group(1))*mult if w else 0
tot=sum(c.values()); print(f"total {tot/1e6:.0f} MB")
for k,v in c.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 8): print(f"{v/1e6:9.1f} MB", k)

import re,collections,sys,subprocess
depth=int(sys.argv[2]); top=int(sys.argv[3])
c=collections.Counter(); n=collections.Counter()
for ev,field in (('jdk.ObjectAllocationInNewTLAB','tlabSize'),('jdk.ObjectAllocationOutsideTLAB','allocationSize')):
    txt=subprocess.run(['jfr','print','--stack-depth',str(depth),'--events',ev,sys.argv[1]],capture_output=True,text=True).stdout
    for e in txt.split(ev)[1:]:
        cls=re.search(r'objectClass = (\S+)',e); w=re.search(field+r' = ([\d.]+) (\w+)',e)
        m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
        fr=[re.sub(r'\(.*','',l.strip()).replace('org.lfssd.','') for l in (m.group(1).strip().split('\n') if m else []) if 'line:' in l]
        mult={'bytes':1,'kB':1024,'MB':1024**2,'GB':1024**3}.get(w.group(2),1) if w else 0
        k=(ev[-9:], cls.group(1) if cls else '?', ' < '.join(fr)); c[k]+=float(w.group(1))*mult if w else 0; n[k]+=1
tot=sum(c.values()); print(f"total {tot/1e6:.0f} MB")
for k,v in c.most_common(top): print(f"{v/1e6:9.1f} MB {n[k]:6d}", k)

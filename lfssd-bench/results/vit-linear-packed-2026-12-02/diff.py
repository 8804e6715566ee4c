import re,sys
def load(f):
    d={}
    for l in open(f):
        m=re.match(r'PROBEGAP\s+([\d.]+) ms\s+(\d+) x gc\s+([\d.]+) ms \| (.*)',l)
        if m: d[m.group(4)]=(float(m.group(1)),int(m.group(2)),float(m.group(3)))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); steps=float(sys.argv[3])
rows=[]
for k in set(a)|set(b):
    x=a.get(k,(0,0,0)); y=b.get(k,(0,0,0))
    rows.append(((y[0]-x[0])/steps,(y[1]-x[1])/steps,(y[2]-x[2])/steps,k))
rows.sort(reverse=True)
tot=sum(r[0] for r in rows); gtot=sum(r[2] for r in rows)
print("per steady step: non-GC gap %.1f ms, GC in gaps %.1f ms"%(tot,gtot))
for r in rows[:25]: print("%8.2f ms %6.1f x  gc %6.1f | %s"%r)

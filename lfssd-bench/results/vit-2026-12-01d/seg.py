import sys,re,statistics as st
for f in sys.argv[1:]:
    segs=[];cur=None
    for l in open(f):
        if l.startswith('# round 1'): cur=[]; segs.append(cur)
        m=re.search(r'step \d+: ([\d.]+) s.*process CPU ([\d.]+)',l)
        if m: cur.append((float(m.group(2)),float(m.group(1))))
    print(f, ['n=%d cpu %.3f wall %.3f'%(len(s),st.median([c for c,w in s]),st.median([w for c,w in s])) for s in segs if s])

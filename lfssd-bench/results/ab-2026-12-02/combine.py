# usage: python3 combine.py runA runB  (each dir holds java-round*.json and the ab_vs_peer.py output as table.txt)
import json,glob,os,re,sys,statistics as st
runs=sys.argv[1:]
data={}
for ri,d in enumerate(runs):
    for f in sorted(glob.glob(os.path.join(d,'java-round*.json'))):
        r=int(re.search(r'round(\d+)',f).group(1))
        for b in json.load(open(f)):
            p=b['params']; data.setdefault((p['config'],int(p['threads'])),{}).setdefault(('java',ri,r),b['secondaryMetrics']['images']['score'])
    txt=open(os.path.join(d,'table.txt')).read()
    # torch per-round lines appear in order round1 then round2
    lines=re.findall(r'^  (\S+)\s+lfssd\s+thr=(\d)\s+([\d.]+) img/s', txt, re.M)
    n=len(lines)//2
    for i,(cfg,t,v) in enumerate(lines):
        data.setdefault((cfg,int(t)),{})[('torch',ri,1+i//n)]=float(v)
order=['resnet18_b64','vit32_b16','vit224_b16']
print('| config | threads | Java img/s per round (A1, A2, B1, B2) | PyTorch img/s per round | ratio per round | median ratio |')
print('|---|---|---|---|---|---|')
for cfg in order:
    for t in (1,2):
        d=data[(cfg,t)]
        keys=sorted({(k[1],k[2]) for k in d})
        j=[d.get(('java',a,b)) for a,b in keys]; p=[d.get(('torch',a,b)) for a,b in keys]
        rat=[x/y for x,y in zip(j,p) if x and y]
        print(f"| {cfg} | {t} | {', '.join('%.2f'%x for x in j)} | {', '.join('%.2f'%x for x in p)} | {', '.join('%.2f'%x for x in rat)} | **{st.median(rat):.2f}** |")

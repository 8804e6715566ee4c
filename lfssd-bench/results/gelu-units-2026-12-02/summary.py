import re,sys,statistics,subprocess,os,datetime
# per run: median wall s/step and process CPU s/step over timed steps, boxed-vector bytes sampled in the last
# 40% of the recording under the lane kernels, and which lane-kernel compilations passed the node cutoff.
def parse_steps(t):
    w=[];c=[]
    for l in open('/tmp/ab/%s.txt'%t,errors='replace'):
        m=re.match(r'step (\d+): ([\d.]+) s, [\d.]+ img/s, process CPU ([\d.]+) s',l)
        if m: w.append(float(m.group(2))); c.append(float(m.group(3)))
    return w,c
for t in sys.argv[1:]:
    w,c=parse_steps(t)
    al='/tmp/ab/%s.alloc.txt'%t
    if not os.path.exists(al):
        subprocess.run('jfr print --events jdk.ObjectAllocationSample --stack-depth 24 /tmp/ab/%s.jfr > %s'%(t,al),shell=True)
    txt=open(al).read()
    ev=txt.split('jdk.ObjectAllocationSample {')[1:]
    ts=[re.search(r'startTime = (\S+)',e).group(1) for e in ev]
    f=lambda s:datetime.datetime.strptime(s,'%H:%M:%S.%f')
    t0,t1=f(ts[0]),f(ts[-1]); since=t0+(t1-t0)*0.6
    box={'GeluLanes':0.0,'VectorMath.exp/expShifted':0.0,'other vector fallback':0.0}; tot=0
    for e,s in zip(ev,ts):
        if f(s)<since: continue
        wm=re.search(r'weight = ([\d.]+) (\w+)',e); v=float(wm.group(1))*{'bytes':1,'kB':1e3,'MB':1e6,'GB':1e9}[wm.group(2)]
        tot+=v
        if 'jdk.incubator.vector' not in e: continue
        if 'GeluLanes' in e: box['GeluLanes']+=v
        elif 'VectorMath' in e or 'expShifted' in e or 'RowPasses' in e: box['VectorMath.exp/expShifted']+=v
        else: box['other vector fallback']+=v
    cut=subprocess.run("python3 %s/cutoff.py /tmp/ab/%s.comp.log | grep -E 'GeluLanes|VectorMath|expShifted|subtractShift' | grep \"delayed(cutoff): {'\" | awk '{print $1}' | sort -u | tr '\\n' ' '"%(os.path.dirname(os.path.abspath(__file__)),t),shell=True,capture_output=True,text=True).stdout
    print('%-8s wall %.3f s/step  CPU %.3f s/step | sampled alloc in timed steps %.2f GB, vector boxes: %s | cutoff passed: %s'%(
        t, statistics.median(w[-10:]), statistics.median(c[-10:]), tot/1e9, ', '.join('%s %.2f GB'%(k,v/1e9) for k,v in box.items()), cut or '-'))

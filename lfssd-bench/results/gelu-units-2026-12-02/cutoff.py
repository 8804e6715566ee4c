import re,sys,collections
# For each C2 task of org.lfssd methods: Vector API (non-VectorSupport) calls delayed to late inlining
# (= the parse passed NodeCountInliningCutoff), inline failures, failed intrinsics.
for fn in sys.argv[1:]:
    txt=open(fn,errors='replace').read()
    print('####',fn)
    for mm in re.finditer(r"<task (?P<a>[^>]*)>(?P<b>.*?)</task>", txt, re.S):
        a=mm.group('a'); t=mm.group('b')
        if re.search(r"level='[123]'",a): continue
        m=re.search(r"method='([^']*)'",a).group(1)
        if not m.startswith('org.lfssd.kernels.vector'): continue
        klass=dict(re.findall(r"<klass id='(\d+)' name='([^']*)'",t))
        meth={mid:klass.get(h,'?').split('.')[-1]+'::'+n for mid,h,n in re.findall(r"<method id='(\d+)' holder='(\d+)' name='([^']*)'",t)}
        late=collections.Counter(meth.get(x,x) for x in re.findall(r"<late_inline method='(\d+)'",t))
        nonvs={k:v for k,v in late.items() if not k.startswith('VectorSupport::')}
        lines=t.split('\n'); fails=collections.Counter()
        for i,l in enumerate(lines):
            r=re.search(r"<inline_fail reason='([^']*)'",l)
            if r:
                j=i
                while j>0 and '<call ' not in lines[j]: j-=1
                cm=re.search(r"method='(\d+)'",lines[j]); fails[(meth.get(cm.group(1),'?') if cm else '?')+': '+r.group(1)]+=1
        vf={k:v for k,v in fails.items() if 'Vector' in k or 'vector' in k or 'GeluLanes' in k or 'VectorMath' in k}
        intrfail=len(re.findall(r"<intrinsic [^>]*failed|<failure", t))
        osr=' OSR' if 'osr_bci' in a else ''
        if nonvs or vf or (len(sys.argv)>0 and 'ALL' in __import__('os').environ):
            print(' ', m.split(' ')[0].replace('org.lfssd.kernels.vector.','')+'.'+m.split(' ')[1]+osr, 'stamp', re.search(r"stamp='([^']*)'",a).group(1), '| delayed(cutoff):', dict(nonvs), '| fails:', dict(vf))

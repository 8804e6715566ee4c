import re,sys
# Per C2 compilation of a lane-kernel pass: inlined bytecode (task_done inlined_bytes), number of method
# parses (inlined bodies), and Vector API methods delayed by the node cutoff (late_inline other than
# VectorSupport). Proxy for how close the parse came to NodeCountInliningCutoff (product JDK 17 logs no node count).
pat=re.compile(r'GeluLanes|VectorMath|expShifted|RowPasses|Lambda')
for fn in sys.argv[1:]:
    txt=open(fn,errors='replace').read(); best={}
    for mm in re.finditer(r"<task (?P<a>[^>]*)>(?P<b>.*?)</task>", txt, re.S):
        a=mm.group('a'); t=mm.group('b')
        if re.search(r"level='[123]'",a): continue
        m=re.search(r"method='([^']*)'",a).group(1)
        if not m.startswith('org.lfssd.kernels.vector') or not pat.search(m): continue
        d=re.search(r"<task_done[^>]*inlined_bytes='(\d+)'",t)
        if not d: continue
        klass=dict(re.findall(r"<klass id='(\d+)' name='([^']*)'",t))
        meth={mid:klass.get(h,'?').split('.')[-1]+'::'+n for mid,h,n in re.findall(r"<method id='(\d+)' holder='(\d+)' name='([^']*)'",t)}
        late=[meth.get(x,x) for x in re.findall(r"<late_inline method='(\d+)'",t)]
        nonvs=len([x for x in late if not x.startswith('VectorSupport::')])
        name=m.split(' ')[0].replace('org.lfssd.kernels.vector.','')+'::'+m.split(' ')[1]+(' OSR' if 'osr_bci' in a else '')
        name=re.sub(r'\$\$Lambda\$\d+/0x[0-9a-f]+','$$Lambda',name)
        row=(int(d.group(1)), len(re.findall(r"<parse method=",t)), nonvs)
        if name not in best or row>best[name]: best[name]=row
    print('####',fn)
    for n,(ib,np,nv) in sorted(best.items(),key=lambda kv:-kv[1][0]): print('  %6d bytes %5d parses  cutoff-delayed %d  %s'%(ib,np,nv,n))

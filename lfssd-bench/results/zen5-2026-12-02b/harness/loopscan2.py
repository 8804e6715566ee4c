import re,sys,subprocess,collections
# loopscan2.py asm.txt : every C2 (non-OSR) compiled method's backward-jump loops (< 400 instrs) with vector work and zmm stack traffic
lines=open(sys.argv[1]).read().split('\n')
i=0; res=collections.OrderedDict()
while i < len(lines):
    l=lines[i]
    if l.startswith('Compiled method (c2)') and ' % ' not in l:
        name=l.split('::')[0].split()[-1].split('.')[-1]+'::'+l.split('::')[1].split()[0] if '::' in l else l
        j=i
        while not lines[j].startswith('[MachCode]'): j+=1
        start=None; data=bytearray(); k=j+1
        while not lines[k].startswith('[/MachCode]'):
            m=re.match(r'\s+0x([0-9a-f]+): ([0-9a-f |]+)$', lines[k])
            if m and re.search(r'[0-9a-f]{4}', m.group(2)):
                if start is None: start=int(m.group(1),16)
                data+=bytes.fromhex(m.group(2).replace('|','').replace(' ',''))
            k+=1
        open('/tmp/code.bin','wb').write(data)
        out=subprocess.run(['objdump','-D','-b','binary','-m','i386:x86-64','--adjust-vma='+hex(start),'/tmp/code.bin'],capture_output=True,text=True).stdout
        ins=[x for x in out.split('\n') if re.match(r'\s+[0-9a-f]+:\t',x)]
        addrs=[int(x.split(':')[0],16) for x in ins]
        for q,x in enumerate(ins):
            m=re.search(r'\tj\w+\s+0x([0-9a-f]+)',x)
            if m and int(m.group(1),16) < addrs[q]:
                t=int(m.group(1),16); body=[y for y,a in zip(ins,addrs) if t<=a<=addrs[q]]
                if len(body) > 400: continue
                nv=sum('zmm' in y for y in body); st=sum('(%rsp)' in y and 'zmm' in y for y in body)
                calls=sum('\tcall' in y for y in body)
                if nv>=6 and (st>0 or calls>0):
                    print(f"{name}: loop {len(body)} instrs, zmm ops {nv}, zmm stack {st}, calls {calls}")
        i=k
    i+=1

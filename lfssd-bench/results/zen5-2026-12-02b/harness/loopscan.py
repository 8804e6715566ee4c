import re,sys,subprocess,collections
# loopscan.py asm.txt method-substring : for each C2 (non-OSR) compile of the method, the innermost loops with >= 8 FMAs: instruction mix and stack traffic
lines=open(sys.argv[1]).read().split('\n'); sub=sys.argv[2]
i=0; n=0
while i < len(lines):
    l=lines[i]
    if l.startswith('Compiled method (c2)') and sub in l:
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
        seen=set()
        for q,x in enumerate(ins):
            m=re.search(r'\tj\w+\s+0x([0-9a-f]+)',x)
            if m and int(m.group(1),16) < addrs[q]:
                t=int(m.group(1),16); body=[y for y,a in zip(ins,addrs) if t<=a<=addrs[q]]
                nf=sum('vfmadd' in y for y in body)
                if nf>=8 and len(body)<300 and (t,addrs[q]) not in seen:
                    seen.add((t,addrs[q]))
                    rsp=sum('(%rsp)' in y and ('zmm' in y or 'ymm' in y) for y in body)
                    print(f"{l.split()[-3] if 'bytes' in l else l[:60]} compile#{n} loop {len(body)} instrs, fma {nf}, vector stack accesses {rsp}")
        n+=1
        i=k
    i+=1

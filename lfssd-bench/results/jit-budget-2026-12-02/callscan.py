import re,sys
lines=open(sys.argv[1]).read().split('\n')
i=0
seen=set()
while i<len(lines):
    l=lines[i]
    if l.startswith('Compiled method (c2)'):
        m=re.search(r'(\S+::\S+)', l); name=m.group(1); osr=' % ' in l
        j=i+1; calls=[]; news=0
        while j<len(lines) and not lines[j].startswith('Compiled method'):
            s=lines[j]
            if '{static_call' in s or 'virtual_call' in s:
                for q in range(j, min(j+8,len(lines))):
                    mm=re.search(r';\*invoke\w+ (\S+)', lines[q])
                    if mm: calls.append(mm.group(1)); break
            if '_new_instance_Java' in s: news+=1
            j+=1
        key=(name,osr)
        if (calls or news) and key not in seen:
            seen.add(key)
            from collections import Counter
            print(('OSR ' if osr else '    ')+name, 'calls', dict(Counter(calls)), 'new_instance', news)
        i=j
    else: i+=1

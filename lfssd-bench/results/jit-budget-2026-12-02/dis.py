import sys, re, subprocess
# usage: dis.py asm.txt <n-th Compiled method (c2) to pick, 0-based among c2 non-OSR> [method substring]
lines = open(sys.argv[1]).read().split('\n')
want = int(sys.argv[2]); sub = sys.argv[3] if len(sys.argv) > 3 else ''
blocks = []
i = 0
while i < len(lines):
    l = lines[i]
    if l.startswith('Compiled method (c2)') and ' % ' not in l and sub in l:
        j = i
        while not lines[j].startswith('[MachCode]'): j += 1
        start = None; data = bytearray()
        k = j + 1
        while not lines[k].startswith('[/MachCode]'):
            m = re.match(r'\s+0x([0-9a-f]+): ([0-9a-f |]+)$', lines[k])
            if m and re.search(r'[0-9a-f]{4}', m.group(2)):
                addr = int(m.group(1), 16)
                if start is None: start = addr
                hexs = m.group(2).replace('|', '').replace(' ', '')
                # fill gaps
                data += bytes.fromhex(hexs)
            k += 1
        blocks.append((l, start, data))
        i = k
    i += 1
l, start, data = blocks[want]
print(l)
open('/tmp/code.bin', 'wb').write(data)
out = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64', '--adjust-vma=' + hex(start), '/tmp/code.bin'], capture_output=True, text=True).stdout
print(out)

import re,collections,sys
txt=open(sys.argv[1]).read()
events=txt.split('jdk.ExecutionSample')
cats=collections.Counter(); total=0
def cat(frames):
    top=frames[0]; allf=' '.join(frames)
    if 'WorkerPool' in top: return 'worker pool (spin, hand-off)'
    if 'WinogradConvolution' in allf:
        if 'WinogradTransforms' in allf or 'Winograd.' in allf: return 'Winograd transforms (input, output, filter)'
        return 'Winograd products (implicit gather, packing)'
    if 'gatherTransposed' in allf or 'transposedTile' in top or 'TransposedPanels' in allf: return 'implicit GEMM, dW (gatherTransposed)'
    if 'gatherTapWide' in top or 'gatherPanels' in allf or 'VectorImplicitGemm' in allf: return 'implicit GEMM, forward/dX (direct gather)'
    if 'ChannelTranspose' in allf or 'ChannelsLast.' in allf: return 'NCHW <-> channels-last copies'
    if 'ConvWeights' in allf: return 'weight reorderings'
    if 'BatchNorm' in allf: return 'BatchNorm (+add+ReLU)'
    if 'Im2col' in allf or 'LinearOps' in allf or 'VectorGemm' in allf: return 'stem conv (im2col + GEMM), Linear'
    if 'accumulateMap' in allf or 'ImportancePass' in allf: return 'importance accumulation'
    return 'other'
other=collections.Counter()
for e in events[1:]:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    if not m: continue
    frames=[re.sub(r'\(.*','',l.strip()) for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
    if not frames: continue
    c=cat(frames); cats[c]+=1; total+=1
    if c=='other': other[' <- '.join(frames[0:4])]+=1
for k,v in cats.most_common(): print(f"| {k} | {100*v/total:.1f} % |")
print('samples',total)
for k,v in other.most_common(5): print(v,k[:300])

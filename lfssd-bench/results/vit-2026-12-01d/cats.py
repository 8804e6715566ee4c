import re,collections,sys
def cat(fr):
    top=fr[0]; allf=' '.join(fr)
    if 'WorkerPool' in top or 'Parallel' in top: return 'worker pool'
    if 'GeluLanes' in allf: return 'GELU (fwd+bwd)'
    if 'gatherRows' in top and 'packA' in allf: return 'GEMM pack: plain A (gatherRows)'
    if 'copyFullPanels' in top or ('packA' in allf and 'GemmPacking' in top): return 'GEMM pack: transposed A / other A'
    if 'packB' in allf and 'GemmPacking' in allf: return 'GEMM pack: B'
    if 'MicroKernel' in allf or 'VectorGemm' in top:
        if 'AttentionOps' in allf: return 'GEMM kernel: attention'
        if 'patch' in allf.lower() or 'Conv' in allf: return 'GEMM kernel: patch embed'
        return 'GEMM kernel: Linear'
    if 'softmax' in allf.lower() or 'expSum' in allf: return 'softmax'
    if 'AttentionOps' in allf: return 'attention other (dS, ...)'
    if 'LayerNorm' in allf or 'layerNorm' in allf: return 'LayerNorm'
    if 'columnSums' in allf or 'biasGeluProduct' in allf or 'lambda$linear' in allf: return 'bias / epilogue / bias grad'
    if 'Conv' in allf or 'Im2col' in allf: return 'patch embedding'
    if 'accumulateMap' in allf or 'ImportancePass' in allf: return 'importance accumulation'
    if 'BinaryOp' in allf or 'Broadcast' in allf or 'ElementwiseOps' in allf or 'Var.accumulate' in allf: return 'residual adds / grad accumulate'
    if 'jdk.incubator.vector' in top or 'VectorSupport' in top or 'checkIndex' in top: return 'vector API fallback/other'
    return 'other'
txt=open(sys.argv[1]).read()
cats=collections.Counter(); total=0; other=collections.Counter(); threads=collections.Counter()
for e in txt.split('jdk.ExecutionSample')[1:]:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]', e, re.S)
    t=re.search(r'sampledThread = "([^"]*)"', e)
    if not m: continue
    fr=[re.sub(r'\s+line:.*','',l.strip()) for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
    if not fr: continue
    c=cat(fr); cats[c]+=1; total+=1
    if t: threads[t.group(1)]+=1
    if c in ('other','vector API fallback/other'): other[' <- '.join(fr[:5])]+=1
for k,v in cats.most_common(): print(f"| {k} | {100*v/total:.1f} % |")
print('samples',total, dict(threads))
for k,v in other.most_common(8): print(v,k[:400])

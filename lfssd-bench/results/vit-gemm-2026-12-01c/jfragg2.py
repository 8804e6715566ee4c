import json, sys, collections, subprocess
f = sys.argv[1]
out = subprocess.run(['jfr','print','--json','--stack-depth','64','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
ev = json.loads(out)['recording']['events']
def name(fr): m=fr['method']; return m['type']['name'].split('/')[-1]+'.'+m['name']
cat = collections.Counter(); vec = collections.Counter(); leaf=collections.Counter()
for e in ev:
    names = [name(x) for x in e['values']['stackTrace']['frames']]
    # nearest op-level frame
    op = next((n for n in names if (n.startswith('LinearOps.') or n.startswith('AttentionOps.') or n.startswith('LayerNormOps.') or n.startswith('SoftmaxOps.') or n.startswith('ElementwiseOps.') or n.startswith('MlpOps.') or n.startswith('ConvOps.')) and '$$Lambda' not in n), names[-1])
    # nearest kernel-level frame
    ker = next((n for n in names if n.split('.')[0] in ('MicroKernel','GemmPacking','VectorGemm','VectorKernels','GeluLanes','VectorMath')), names[0])
    cat[op + ' :: ' + ker] += 1
    if names[0].startswith('FloatVector') or names[0].startswith('Objects') or names[0].startswith('VectorSupport'):
        vec[names[0]+' <- '+ker]+=1
N=len(ev)
print('samples',N)
for k,v in cat.most_common(40): print('%5.1f%% %s'%(100*v/N,k))
print('--- vector api leaf frames by kernel')
for k,v in vec.most_common(15): print('%5.1f%% %s'%(100*v/N,k))

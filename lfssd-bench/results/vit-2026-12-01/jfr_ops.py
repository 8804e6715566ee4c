import sys, subprocess, collections, json
# Per-op share of JFR execution samples (Java threads running lfssd code), first matching rule wins.
rules = [
    ("attention: softmax rows", lambda j: "AttentionOps" in j and "SoftmaxOps.softmaxRow" in j),
    ("attention: GEMMs", lambda j: "AttentionOps" in j and "VectorGemm" in j),
    ("attention: other (dS rows, scratch)", lambda j: "AttentionOps" in j),
    ("patch embedding conv (im2col GEMM)", lambda j: "ConvOps" in j),
    ("Linear bias gradient (column sums)", lambda j: "columnSums" in j),
    ("Linear forward GEMM", lambda j: "LinearOps.linear" in j and "lambda$linear" not in j and "VectorGemm" in j),
    ("Linear backward GEMMs (dX, dW)", lambda j: "LinearOps.lambda$linear" in j),
    ("Linear other", lambda j: "LinearOps" in j),
    ("GELU forward", lambda j: "GeluLanes.map " in j + " " or ("ActivationOps" in j and "mapBackward" not in j)),
    ("GELU backward", lambda j: "ActivationOps" in j or "GeluLanes" in j),
    ("LayerNorm", lambda j: "LayerNormOps" in j),
    ("permute/transpose copies", lambda j: "ShapeOps" in j or "Tensor.permute" in j or "Tensor.transpose" in j),
    ("residual adds / elementwise", lambda j: "ElementwiseOps" in j or "Chunked" in j),
    ("engine: gradient accumulation", lambda j: "Var.accumulate" in j),
    ("|grad| accumulation", lambda j: "accumulateAbs" in j),
]
def shares(jfr):
    ev = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", "--stack-depth", "96", jfr], capture_output=True, text=True).stdout)["recording"]["events"]
    c = collections.Counter(); n = 0
    for e in ev:
        fr = e["values"]["stackTrace"]["frames"]
        if not fr or not any("lfssd" in f["method"]["type"]["name"] for f in fr): continue
        n += 1
        j = " ".join(f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in fr) + " "
        for name, pred in rules:
            if pred(j): c[name] += 1; break
        else: c["other"] += 1
    return n, c
cols = [shares(f) for f in sys.argv[1:]]
names = [r[0] for r in rules] + ["other"]
print("| op | " + " | ".join(sys.argv[1:]) + " |")
print("|---|" + "---|" * len(cols))
for nm in names:
    print(f"| {nm} | " + " | ".join(f"{100*c[nm]/n:.1f} %" for n, c in cols) + " |")
print("| samples | " + " | ".join(str(n) for n, c in cols) + " |")

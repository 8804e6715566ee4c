#!/usr/bin/python3
"""Parity fixtures for org.lfssd.eval: the official metrics on fixed logits, and the tensor resize.

Run with Debian's interpreter (torch 1.13, scikit-learn 1.2):  /usr/bin/python3 make_eval_fixtures.py
Writes ../resources/fixtures/eval/metrics.json and resize.safetensors (together well under 1 MiB).

What it reproduces (see ALGORITHM.md section 8.4; the formulas are the official code's, from
bad-teaching-unlearning's metrics.py/utils.py as used by the SSD repository):
- entropy(p) = -sum(where(p > 0, p * log p, 0)) of the float32 softmax, per sample;
- MIA: LogisticRegression(class_weight="balanced", solver="lbfgs", multi_class="multinomial") fitted on
  retain-train entropies (label 1) and test entropies (label 0); the figure is predict(forget).mean().
  The same fit with tol=1e-12 and max_iter=100000 gives the exact optimum's coef_/intercept_;
- ZRF: 1 - JSDiv(p, q) with JSDiv = 0.5*kl_div(log p, m) + 0.5*kl_div(log q, m), reduction "mean";
  note that kl_div(log p, m) is KL(m||p), so this is not the Jensen-Shannon divergence; the true one,
  0.5*KL(p||m) + 0.5*KL(q||m) summed over classes and averaged over samples, is computed in float64;
- activation distance: mean over samples of ||softmax(a) - softmax(b)||_2 (actv_dist);
- accuracy: evaluate()'s mean of per-batch accuracies at batch 64, and the sample-weighted one;
- bilinear resize: F.interpolate(mode="bilinear", align_corners=False), which torchvision's Resize uses
  on tensors (upsampling 8 -> 56 is the 32 -> 224 ratio of the papers' ViT input; 8 -> 20 and 8 -> 5 too).

MIA cases cover balanced and unbalanced member/non-member counts and separable and overlapping
entropies, as the issue asks.
"""

import json
import os
import warnings

import numpy as np
import sklearn
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from f32_safetensors import write_safetensors

SEED = 20240907


def entropy(p, dim=-1, keepdim=False):
    return -torch.where(p > 0, p * p.log(), p.new([0.0])).sum(dim=dim, keepdim=keepdim)


def logits_with_confidence(gen, n, classes, scale):
    """Logits whose softmax entropy is spread according to `scale` (larger = more confident)."""
    z = torch.randn(n, classes, generator=gen)
    z[:, 0] += scale * torch.rand(n, generator=gen) * 4
    return z


def mia_case(gen, name, n_member, n_nonmember, n_forget, classes, member_scale, nonmember_scale, forget_scale):
    retain = logits_with_confidence(gen, n_member, classes, member_scale)
    test = logits_with_confidence(gen, n_nonmember, classes, nonmember_scale)
    forget = logits_with_confidence(gen, n_forget, classes, forget_scale)
    h_r = entropy(F.softmax(retain, dim=-1))
    h_t = entropy(F.softmax(test, dim=-1))
    h_f = entropy(F.softmax(forget, dim=-1))
    X_r = torch.cat([h_r, h_t]).cpu().numpy().reshape(-1, 1)
    Y_r = np.concatenate([np.ones(len(h_r)), np.zeros(len(h_t))])
    X_f = h_f.cpu().numpy().reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = LogisticRegression(class_weight="balanced", solver="lbfgs", multi_class="multinomial")
        clf.fit(X_r, Y_r)
        mia = float(clf.predict(X_f).mean())
        tight = LogisticRegression(class_weight="balanced", solver="lbfgs", multi_class="multinomial",
                                   tol=1e-12, max_iter=100000)
        tight.fit(X_r, Y_r)
    mia_tight = float(tight.predict(X_f).mean())
    coef, intercept = exact_multinomial_optimum(X_r[:, 0].astype(np.float64), Y_r)
    return {
        "name": name,
        "classes": classes,
        "retain_logits": retain.flatten().tolist(),
        "test_logits": test.flatten().tolist(),
        "forget_logits": forget.flatten().tolist(),
        "retain_entropy": h_r.tolist(),
        "test_entropy": h_t.tolist(),
        "forget_entropy": h_f.tolist(),
        "mia": mia,
        "mia_exact_fit": mia_tight,
        "coef_default": float(clf.coef_[0][0]),
        "intercept_default": float(clf.intercept_[0]),
        "coef_sklearn_tight": float(tight.coef_[0][0]),
        "intercept_sklearn_tight": float(tight.intercept_[0]),
        "coef": coef,
        "intercept": intercept,
    }


def exact_multinomial_optimum(x, y):
    """sklearn's objective for this fit, minimised to machine precision, independently of sklearn's lbfgs
    stopping rule (ftol = 64 eps stops it a few 1e-6 short on some data): C * sum_i w_i * CE(softmax(W x_i + b), y_i)
    + 0.5 * ||W||^2 with W, b one row per class, b unpenalised, C = 1, w_i = n / (2 n_{y_i}) ("balanced").
    Newton's method on the four parameters (w0, w1, b0, b1) with a pseudo-inverse, since b0 + b1 is a flat
    direction; sklearn reports row 1, i.e. coef = w1 and intercept = (b1 - b0) / 2 (its b0 = -b1)."""
    n = len(x)
    yi = y.astype(int)
    sw = np.where(yi == 1, n / (2.0 * yi.sum()), n / (2.0 * (n - yi.sum())))
    theta = np.zeros(4)
    for _ in range(100):
        w, b = theta[:2], theta[2:]
        z = np.outer(x, w) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        r = p.copy()
        r[np.arange(n), yi] -= 1
        r *= sw[:, None]
        grad = np.concatenate([(r * x[:, None]).sum(0) + w, r.sum(0)])
        hess = np.zeros((4, 4))
        for i in range(n):
            s = sw[i] * (np.diag(p[i]) - np.outer(p[i], p[i]))
            feat = np.array([[x[i], 0, 1, 0], [0, x[i], 0, 1]])
            hess += feat.T @ s @ feat
        hess[0, 0] += 1
        hess[1, 1] += 1
        step = np.linalg.pinv(hess) @ grad
        theta = theta - step
        if np.abs(step).max() < 1e-15:
            break
    return float(theta[1]), float((theta[3] - theta[2]) / 2)


def js_div_official(p, q):
    m = (p + q) / 2
    return 0.5 * F.kl_div(torch.log(p), m) + 0.5 * F.kl_div(torch.log(q), m)


def zrf_case(gen, n, classes):
    model = torch.randn(n, classes, generator=gen) * 2
    teacher = torch.randn(n, classes, generator=gen) * 0.5
    p = F.softmax(model, dim=1)
    q = F.softmax(teacher, dim=1)
    official = 1 - js_div_official(p, q)
    p64 = F.softmax(model.double(), dim=1)
    q64 = F.softmax(teacher.double(), dim=1)
    m = (p64 + q64) / 2
    true_js = (0.5 * (p64 * (p64.log() - m.log())).sum(1) + 0.5 * (q64 * (q64.log() - m.log())).sum(1)).mean()
    dist = torch.sqrt(torch.sum(torch.square(p - q), axis=1)).mean()
    return {
        "classes": classes,
        "model_logits": model.flatten().tolist(),
        "teacher_logits": teacher.flatten().tolist(),
        "zrf_official": float(official),
        "zrf_jensen_shannon": float(1 - true_js),
        "activation_distance": float(dist),
    }


def accuracy_case(gen, n, classes, batch):
    logits = torch.randn(n, classes, generator=gen)
    labels = torch.randint(0, classes, (n,), generator=gen)
    logits[torch.arange(n), labels] += 1.0 * (torch.rand(n, generator=gen) < 0.6).float() * 3
    accs = []
    for start in range(0, n, batch):
        preds = torch.max(logits[start:start + batch], dim=1)[1]
        accs.append(torch.tensor(torch.sum(preds == labels[start:start + batch]).item() / len(preds)))
    official = float(torch.stack(accs).mean())
    weighted = float((logits.argmax(1) == labels).float().mean())
    return {"classes": classes, "batch": batch, "logits": logits.flatten().tolist(), "labels": labels.tolist(),
            "official_batch_mean": official, "sample_weighted": weighted}


def main():
    gen = torch.Generator().manual_seed(SEED)
    cases = [
        # balanced counts, overlapping entropies
        mia_case(gen, "balanced_overlapping", 200, 200, 60, 10, 1.5, 1.0, 1.2),
        # unbalanced counts (as retain-train vs test always are), overlapping entropies
        mia_case(gen, "unbalanced_overlapping", 500, 120, 50, 10, 1.6, 1.0, 1.3),
        # separable entropies: members confident, non-members close to uniform
        mia_case(gen, "unbalanced_separable", 300, 90, 40, 10, 6.0, 0.0, 3.0),
        # balanced and separable, 20 classes
        mia_case(gen, "balanced_separable", 150, 150, 30, 20, 8.0, 0.0, 0.5),
    ]
    out = {
        "generator": "make_eval_fixtures.py",
        "torch": torch.__version__,
        "sklearn": sklearn.__version__,
        "mia": cases,
        "zrf": [zrf_case(gen, 70, 10), zrf_case(gen, 33, 20)],
        "accuracy": [accuracy_case(gen, 150, 10, 64), accuracy_case(gen, 128, 5, 64)],
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "resources", "fixtures", "eval")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "metrics.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

    images = torch.randn(2, 3, 8, 8, generator=gen)
    tensors = {"input": images}
    for size in (56, 20, 5, 8):
        tensors["out_%d" % size] = F.interpolate(images, size=[size, size], mode="bilinear", align_corners=False)
    write_safetensors(os.path.join(target, "resize.safetensors"), tensors,
                      {"generator": "make_eval_fixtures.py", "torch": torch.__version__})
    for c in cases:
        print(c["name"], "mia", c["mia"], "tight-fit mia", c["mia_exact_fit"], "exact coef", c["coef"], "intercept",
              c["intercept"], "sklearn default coef", c["coef_default"], "intercept", c["intercept_default"])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The integer-label softmax oracle: executes test/unit/fixtures/labels_softmax.py
(the course's loop with p[y[i]]) with NumPy over the samples its make_data(m)
builds, differentiates the same cross-entropy with PyTorch's autograd (float64,
F.cross_entropy over the integer labels) at the point below, checks the
textbook's (1/m) Xᵀ(P − onehot(y)) against it, and writes the loss and every
∂J/∂W[j][k], ∂J/∂b[k] for m = 4, 400 and 2000 to
test/unit/fixtures/labels_expected.json.

Run: /usr/bin/python3 scripts/labels_oracle.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "test", "unit", "fixtures")

scope = {}
with open(os.path.join(FIXTURES, "labels_softmax.py")) as f:
    exec(compile(f.read(), "labels_softmax.py", "exec"), scope)  # the repository's own fixture

W0 = np.array([[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]])
b0 = np.array([0.1, -0.3, 0.2])
out = {"source": "scripts/labels_oracle.py (numpy " + np.__version__ + ", torch " + torch.__version__ + ", float64 autograd)",
       "point": {f"W[{j}][{k}]": W0[j, k] for j in range(2) for k in range(3)} | {f"b[{k}]": b0[k] for k in range(3)},
       "cases": {}}
for m in (4, 400, 2000):
    X, y = scope["make_data"](m)
    loss_np = scope["cost"](X, y, W0, b0)
    W = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    loss = F.cross_entropy(torch.tensor(X) @ W + b, torch.tensor(y))
    loss.backward()
    P = np.exp(X @ W0 + b0)
    P /= P.sum(axis=1, keepdims=True)
    Y = np.eye(3)[y]
    assert abs(loss_np - loss.item()) < 1e-12, (loss_np, loss.item())
    assert np.allclose(X.T @ (P - Y) / m, W.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert np.allclose((P - Y).sum(axis=0) / m, b.grad.numpy(), rtol=1e-12, atol=1e-15)
    grad = {f"W[{j}][{k}]": W.grad[j, k].item() for j in range(2) for k in range(3)}
    grad.update({f"b[{k}]": b.grad[k].item() for k in range(3)})
    out["cases"][str(m)] = {"loss": loss.item(), "gradient": grad}
with open(os.path.join(FIXTURES, "labels_expected.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(out["cases"]["4"]))

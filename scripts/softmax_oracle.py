#!/usr/bin/env python3
"""The softmax-regression oracle: executes test/unit/fixtures/softmax_regression.py
(numpy), differentiates the same cross-entropy with PyTorch's autograd (float64)
at the file's W_start, b_start, checks the textbook's (1/m) Xᵀ(P − Y) against
it, and writes the loss and every ∂J/∂W[j][k], ∂J/∂b[k] to
test/unit/fixtures/softmax_expected.json.

Run: /usr/bin/python3 scripts/softmax_oracle.py
"""
import json
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "test", "unit", "fixtures", "softmax_regression.py")

scope = {}
with open(FIXTURE) as f:
    exec(compile(f.read(), FIXTURE, "exec"), scope)  # the repository's own fixture
X, Y, W0, b0 = (scope[k].astype(float) for k in ("X_train", "Y_train", "W_start", "b_start"))
loss_loop = scope["cost_loop"](X, Y, W0, b0)
loss_vec = scope["cost_vectorised"](X, Y, W0, b0)

W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
z = torch.tensor(X) @ W + b
loss = -(torch.tensor(Y) * torch.log_softmax(z, dim=1)).sum() / X.shape[0]
loss.backward()

P = np.exp(X @ W0 + b0)
P /= P.sum(axis=1, keepdims=True)
by_hand_W = X.T @ (P - Y) / X.shape[0]
by_hand_b = (P - Y).sum(axis=0) / X.shape[0]
assert np.allclose(by_hand_W, W.grad.numpy(), rtol=1e-12, atol=1e-15)
assert np.allclose(by_hand_b, b.grad.numpy(), rtol=1e-12, atol=1e-15)
assert abs(loss_loop - loss.item()) < 1e-12 and abs(loss_vec - loss.item()) < 1e-12

grad = {f"W[{j}][{k}]": W.grad[j, k].item() for j in range(W0.shape[0]) for k in range(W0.shape[1])}
grad.update({f"b[{k}]": b.grad[k].item() for k in range(b0.shape[0])})
point = {f"W[{j}][{k}]": W0[j, k] for j in range(W0.shape[0]) for k in range(W0.shape[1])}
point.update({f"b[{k}]": b0[k] for k in range(b0.shape[0])})
out = {"source": "scripts/softmax_oracle.py (torch " + torch.__version__ + ", float64 autograd)", "point": point, "loss": loss.item(), "gradient": grad, "P": P.tolist()}
with open(os.path.join(ROOT, "test", "unit", "fixtures", "softmax_expected.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(out["gradient"]))

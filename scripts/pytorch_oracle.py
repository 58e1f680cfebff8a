#!/usr/bin/env python3
"""The PyTorch oracle: trains each model of test/pytorch/ with real PyTorch
(float64, full batch), starting from Gradient Lens's own starting weights
(`weights.initial` from the command line), and records the loss before each
update (30 epochs; 5 for the models of real size, over 5,000 parameters) and
the weights after them in test/pytorch/expected.json. Weights are stored flat
(per layer W row by row, then b: the engine's order), every one for a small
model and an even sample of about 2,000 for a large one.

Run with Debian's PyTorch: /usr/bin/python3 scripts/pytorch_oracle.py
The fixtures are this repository's own files; this script executes them to
build the model, the loss and the optimizer exactly as PyTorch would.
"""
import json
import os
import subprocess
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "test", "pytorch")
EPOCHS = 30
EPOCHS_LARGE = 5
LARGE = 5000
SAMPLE = 2000


def gradient_lens(path, epochs):
    out = subprocess.run(
        ["node", os.path.join(ROOT, "dist", "cli.js"), "analyze", path, "--epochs", str(epochs), "--json"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def check_export(path):
    """Gradient Lens's exported code (a load_state_dict literal) loads into the real model."""
    code = subprocess.run(
        ["node", os.path.join(ROOT, "dist", "cli.js"), "analyze", path, "--epochs", "3", "--export", "code"],
        check=True, capture_output=True, text=True,
    ).stdout
    namespace = {"__name__": "fixture"}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), namespace)
    exec(compile(code, "exported", "exec"), namespace)  # raises on a missing or unexpected key
    return len([k for k in namespace["state"]])


def flat(layers):
    return [v for l in layers for v in [x for row in l["W"] for x in row] + list(l["b"])]


def train(path, initial, epochs):
    namespace = {"__name__": "fixture"}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), namespace)  # our own fixture files
    model, loss_fn, optimizer = namespace["model"], namespace["loss_fn"], namespace["optimizer"]
    X, Y = namespace["X"], namespace["Y"]
    model.double()  # the same Parameter objects, now float64: the optimizer still holds them
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    assert len(linears) == len(initial), (path, len(linears), len(initial))
    with torch.no_grad():
        for layer, w in zip(linears, initial):
            layer.weight.copy_(torch.tensor(w["W"], dtype=torch.float64))
            layer.bias.copy_(torch.tensor(w["b"], dtype=torch.float64))
    X = X.double()
    Y = Y.long() if Y.dtype in (torch.int64, torch.int32) else Y.double()
    losses = []
    loader = namespace.get("loader")
    for _ in range(epochs):
        if loader is None:
            optimizer.zero_grad()
            loss = loss_fn(model(X), Y)
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
            continue
        # mini-batches in the DataLoader's order; the epoch's loss is the samples' mean of the batch losses
        total, count = 0.0, 0
        for xb, yb in loader:
            xb = xb.double()
            yb = yb.long() if yb.dtype in (torch.int64, torch.int32) else yb.double()
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            total += loss.item() * len(xb)
            count += len(xb)
            loss.backward()
            optimizer.step()
        losses.append(total / count)
    final = [{"W": l.weight.tolist(), "b": l.bias.tolist()} for l in linears]
    return losses, final


def main():
    torch.set_default_dtype(torch.float64)
    expected = {"torch": torch.__version__, "cases": {}}
    for name in sorted(os.listdir(FIXTURES)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(FIXTURES, name)
        epochs = EPOCHS
        gl = gradient_lens(path, epochs)
        if gl["parameters"] > LARGE:
            epochs = EPOCHS_LARGE
            gl = gradient_lens(path, epochs)
        losses, final = train(path, gl["weights"]["initial"], epochs)
        keys = check_export(path)
        stride = -(-gl["parameters"] // SAMPLE)
        initial, final, ours = flat(gl["weights"]["initial"]), flat(final), flat(gl["weights"]["final"])
        expected["cases"][name] = {
            "epochs": epochs, "parameters": gl["parameters"], "stride": stride,
            "initial": initial[::stride], "loss": losses, "final": final[::stride], "exportedKeys": keys,
        }
        worst = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(gl["training"]["loss"], losses))
        worst_w = max(abs(a - b) / max(abs(b), 1) for a, b in zip(ours, final))
        print(f"{name}: {gl['parameters']} parameters, {epochs} epochs, final loss {losses[-1]:.6g}; Gradient Lens vs PyTorch: "
              f"loss {worst:.2e}, every final weight {worst_w:.2e} (worst relative difference)")
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, "expected.json")
    with open(out, "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

"""Logistic regression on one example, written the way a course writes it."""
import numpy as np
from math import log


def loss(w, b):
    """Squared error of a sigmoid unit: forward pass with named intermediates."""
    z = 3.0 * w + b            # pre-activation
    a = 1 / (1 + np.exp(-z))   # sigmoid
    return (a - 0.25) ** 2


def saddle(x: float, y: float = -1.0) -> float:
    return np.sin(x) * np.cos(y) + 0.1 * (x**2 + y**2)


cost = lambda w: np.exp(-w) + w**2

def mse(w0, w1, w2):
    return ((w0 + w1*1.0 + w2*2.0 - 3.0)**2 +
            (w0 + w1*2.0 + w2*0.5 - 1.0)**2) / 2

# The first model of every tutorial: 784 inputs (a flattened 28 × 28 image), 128 ReLU units, 10 classes;
# CrossEntropyLoss on the logits and Adam. 200 samples made in the file (no download).
import torch
from torch import nn

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
X = torch.sin(torch.arange(200 * 784, dtype=torch.float64).reshape(200, 784) * 0.37)
Y = torch.arange(200) % 10
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

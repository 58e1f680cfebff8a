# nn.GELU(approximate='tanh') is the tanh form; MSELoss; Adam with PyTorch's defaults.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(1, 5), nn.GELU(approximate='tanh'), nn.Linear(5, 1))
X = torch.tensor([[-1.5], [-0.8], [-0.1], [0.4], [0.9], [1.6]])
Y = torch.tensor([[2.2], [0.7], [0.0], [0.2], [0.8], [2.5]])
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters())

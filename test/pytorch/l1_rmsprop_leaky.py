# L1Loss (mean absolute error) with two outputs; leaky ReLU hidden layer; RMSprop with momentum.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(), nn.Linear(4, 2))
X = torch.tensor([[0.4, 0.1], [-0.6, 0.9], [1.0, -0.8], [-0.2, -0.5], [0.9, 0.7], [0.3, -0.3]])
Y = torch.tensor([[0.5, -0.2], [-0.3, 0.4], [0.8, 0.0], [0.1, -0.6], [-0.9, 0.3], [0.2, 0.2]])
loss_fn = nn.L1Loss()
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, momentum=0.5)

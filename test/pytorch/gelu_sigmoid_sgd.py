# nn.GELU() is the exact erf form in PyTorch; a sigmoid output; BCELoss; plain SGD.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 4), nn.GELU(), nn.Linear(4, 1), nn.Sigmoid())
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, -0.5], [-0.5, 0.5]])
Y = torch.tensor([[0.], [1.], [1.], [0.], [1.], [1.]])
loss_fn = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

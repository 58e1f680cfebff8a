# CrossEntropyLoss on logits with integer class labels; ELU; RMSprop with alpha, eps and momentum.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 6), nn.ELU(), nn.Linear(6, 3))
X = torch.tensor([[0.3, 0.8], [1.2, -0.4], [-0.9, 0.5], [0.1, -1.1], [-1.3, -0.2], [0.7, 0.6], [-0.5, 1.0]])
Y = torch.tensor([0, 1, 2, 1, 2, 0, 2])
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5)

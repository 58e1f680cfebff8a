# LogSoftmax + NLLLoss (cross-entropy on logits); Softplus; Adagrad with lr_decay and an initial accumulator.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 4), nn.Softplus(), nn.Linear(4, 3), nn.LogSoftmax(dim=1))
X = torch.tensor([[0.6, -0.2], [-0.8, 0.9], [1.1, 1.0], [-0.3, -1.2], [0.2, 0.4], [-1.0, 0.1]])
Y = torch.tensor([0, 1, 2, 1, 0, 2])
loss_fn = nn.NLLLoss()
optimizer = torch.optim.Adagrad(model.parameters(), lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)

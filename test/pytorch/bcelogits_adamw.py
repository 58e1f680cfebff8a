# BCEWithLogitsLoss on a linear output; LeakyReLU; AdamW's decoupled weight decay.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(), nn.Linear(4, 1))
X = torch.tensor([[0.5, 1.0], [-1.0, 0.3], [0.8, -0.6], [-0.4, -0.9], [1.3, 0.1], [-0.2, 1.2]])
Y = torch.tensor([[1.], [0.], [1.], [0.], [1.], [0.]])
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=0.02, weight_decay=0.05)

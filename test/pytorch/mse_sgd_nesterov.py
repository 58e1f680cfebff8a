# MSELoss, SGD with momentum, Nesterov and weight decay; tanh hidden layer.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
X = torch.tensor([[0.1, -0.4, 0.9], [1.2, 0.3, -0.7], [-0.5, 0.8, 0.2], [0.7, -1.1, 0.4], [-0.9, -0.2, -0.6], [0.3, 0.6, 1.0]])
Y = torch.tensor([[0.5], [-0.3], [0.8], [0.1], [-0.9], [1.1]])
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)

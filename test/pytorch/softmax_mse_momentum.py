# A softmax output trained with MSELoss against one-hot targets; tanh; SGD with momentum.
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 3), nn.Softmax(dim=1))
X = torch.tensor([[0.4, 0.1], [-0.6, 0.9], [1.0, -0.8], [-0.2, -0.5], [0.9, 0.7]])
Y = torch.tensor([[1., 0., 0.], [0., 1., 0.], [0., 0., 1.], [0., 1., 0.], [1., 0., 0.]])
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)

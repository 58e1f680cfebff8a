# Two wide hidden layers, as regression tutorials write them: 20 features, 256 ReLU units twice, one
# output; MSELoss and SGD with momentum. 200 samples made in the file.
import torch
from torch import nn

model = nn.Sequential(
    nn.Linear(20, 256),
    nn.ReLU(),
    nn.Linear(256, 256),
    nn.ReLU(),
    nn.Linear(256, 1),
)
X = torch.cos(torch.arange(200 * 20, dtype=torch.float64).reshape(200, 20) * 0.11)
Y = torch.sin(torch.arange(200, dtype=torch.float64) * 0.05).reshape(200, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

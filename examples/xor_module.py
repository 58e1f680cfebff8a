# PyTorch's most common style: an nn.Module with layers in __init__ and the
# order in forward. Gradient Lens reads it without running it.
import torch
import torch.nn as nn
import torch.nn.functional as F


class XorNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 4)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        x = torch.tanh(self.hidden(x))
        return torch.sigmoid(self.out(x))


X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
net = XorNet()
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.5)

for epoch in range(2000):
    optimizer.zero_grad()
    loss = criterion(net(X), Y)
    loss.backward()
    optimizer.step()

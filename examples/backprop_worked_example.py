# The classic worked example of backpropagation (two inputs, two sigmoid
# hidden units, two sigmoid outputs): the weights set here are the starting
# weights. One SGD step at lr 0.5 gives w5 = 0.35891648 (E_total 0.298371109).
import torch
from torch import nn

model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 2), nn.Sigmoid())
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.15, 0.20], [0.25, 0.30]]))
    model[0].bias.fill_(0.35)
    model[2].weight.copy_(torch.tensor([[0.40, 0.45], [0.50, 0.55]]))
    model[2].bias.fill_(0.60)

X = torch.tensor([[0.05, 0.10]])
Y = torch.tensor([[0.01, 0.99]])
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

for epoch in range(1):
    optimizer.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    optimizer.step()

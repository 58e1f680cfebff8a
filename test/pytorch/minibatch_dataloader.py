# Mini-batches from a DataLoader (batch_size=3, in order); MSELoss; SGD with momentum.
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(2, 4), nn.Sigmoid(), nn.Linear(4, 1))
X = torch.tensor([[0.1, 0.5], [0.9, -0.3], [-0.4, 0.8], [0.6, 0.6], [-0.7, -0.2], [0.3, -0.9], [1.0, 0.4]])
Y = torch.tensor([[0.3], [0.7], [-0.2], [0.9], [-0.6], [0.1], [1.1]])
loader = DataLoader(TensorDataset(X, Y), batch_size=3, shuffle=False)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)

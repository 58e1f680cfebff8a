"""A small PyTorch classifier: with no data in the file, Gradient Lens offers
built-in 2-D datasets (circles, moons, spiral, …) in the panel."""
import torch
from torch import nn

model = nn.Sequential(
    nn.Linear(2, 8),
    nn.Tanh(),
    nn.Linear(8, 8),
    nn.ReLU(),
    nn.Dropout(0.1),
    nn.Linear(8, 1),
    nn.Sigmoid(),
)
loss_fn = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)

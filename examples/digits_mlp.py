# The first model of every deep-learning tutorial, at its real size: a flattened 28 x 28 image in,
# 128 ReLU units, 10 classes out (101,770 parameters), trained with cross-entropy and Adam.
# The data are 100 small synthetic digits saved beside this file with np.save (uint8 pixels).
import numpy as np
import torch
from torch import nn

x_train = torch.from_numpy(np.load('digits_x.npy').reshape(-1, 784) / 255.0).float()
y_train = torch.tensor(np.load('digits_y.npy'))

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(60):
    optimizer.zero_grad()
    loss = loss_fn(model(x_train), y_train)
    loss.backward()
    optimizer.step()

# An nn.Module with ReLU and a sigmoid output; BCELoss; Adam with every hyperparameter set.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 6)
        self.fc2 = nn.Linear(6, 1)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        return torch.sigmoid(self.fc2(x))


model = Classifier()
X = torch.tensor([[0.2, 0.9], [1.5, -0.3], [-0.7, 0.4], [0.9, 1.1], [-1.2, -0.8], [0.4, -1.3], [1.1, 0.2], [-0.3, 1.4]])
Y = torch.tensor([[1.], [0.], [1.], [1.], [0.], [0.], [0.], [1.]])
loss_fn = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.001)

# Two levels of inheritance: the subclass's forward runs the base's forward through
# super().forward(x) and adds its own output layer on top.
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.fc1 = nn.Linear(sizes[0], sizes[1])
        self.fc2 = nn.Linear(sizes[1], sizes[2])

    def forward(self, x):
        return torch.relu(self.fc2(torch.relu(self.fc1(x))))


class Classifier(Encoder):
    def __init__(self, sizes, classes):
        super().__init__(sizes)
        self.out = nn.Linear(sizes[-1], classes)

    def forward(self, x):
        features = super().forward(x)
        return self.out(features)


model = Classifier([2, 6, 4], 3)
X = torch.tensor([[0.1, 0.9], [0.8, 0.2], [-0.5, 0.4], [0.3, -0.7], [-0.9, -0.2], [0.6, 0.6]])
Y = torch.tensor([0, 1, 2, 1, 2, 0])
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01)

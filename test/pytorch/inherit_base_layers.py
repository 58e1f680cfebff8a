# A subclass of another of the file's modules: the hidden layer is made in the base class from
# the sizes super().__init__(...) passes; the subclass adds the output layer and writes forward.
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.hidden = nn.Linear(n_in, n_hidden)
        self.act = nn.Tanh()


class Regressor(Backbone):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__(n_in, n_hidden)
        self.head = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.head(self.act(self.hidden(x)))


model = Regressor(1, 5, 1)
X = torch.tensor([[-1.0], [-0.6], [-0.2], [0.2], [0.6], [1.0]])
Y = torch.tensor([[0.9], [0.3], [0.05], [0.1], [0.35], [1.1]])
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

"""784-128-10 classifier in PyTorch: nn.Module, manual training loop.

Run: python pytorch_mlp.py   (tested with the versions given in the book)
"""

import torch
from torch import nn

torch.manual_seed(0)

# Synthetic data: 1024 samples, 784 features, 10 classes. The labels come from a
# fixed random linear "teacher", so there is a pattern for the network to learn.
inputs = torch.randn(1024, 784)
teacher = torch.randn(784, 10)
labels = (inputs @ teacher).argmax(dim=1)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        # Returns logits: nn.CrossEntropyLoss applies log-softmax itself.
        return self.output(torch.relu(self.hidden(x)))


model = MLP()
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(5):
    for start in range(0, len(inputs), 64):
        x = inputs[start : start + 64]
        y = labels[start : start + 64]
        optimizer.zero_grad()  # gradients accumulate unless cleared
        loss = loss_fn(model(x), y)
        loss.backward()  # reverse-mode AD over the tape recorded above
        optimizer.step()
    with torch.no_grad():
        logits = model(inputs)
        full_loss = loss_fn(logits, labels).item()
        accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    print(f"epoch {epoch + 1}: loss {full_loss:.4f}, accuracy {accuracy:.3f}")

print(f"torch {torch.__version__}")

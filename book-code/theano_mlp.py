"""784-128-10 classifier in Theano 1.0: symbolic graph, theano.function(updates=...).

Run: python theano_mlp.py   (see the book for the environment it was run in)
"""

import numpy as np
import theano
import theano.tensor as T

rng = np.random.default_rng(0)
floatX = theano.config.floatX

# Synthetic data: 1024 samples, 784 features, labels from a linear teacher.
inputs = rng.standard_normal((1024, 784)).astype(floatX)
teacher = rng.standard_normal((784, 10)).astype(floatX)
labels = (inputs @ teacher).argmax(axis=1).astype("int32")


def shared_weights(n_in, n_out, name):
    scale = np.sqrt(2.0 / (n_in + n_out))
    values = (rng.standard_normal((n_in, n_out)) * scale).astype(floatX)
    return theano.shared(values, name=name)


# Parameters live in shared variables: state that persists between calls.
w1 = shared_weights(784, 128, "w1")
b1 = theano.shared(np.zeros(128, dtype=floatX), name="b1")
w2 = shared_weights(128, 10, "w2")
b2 = theano.shared(np.zeros(10, dtype=floatX), name="b2")
params = [w1, b1, w2, b2]

# Symbolic inputs: nothing is computed while the graph is being built.
x = T.matrix("x")
y = T.ivector("y")
hidden = T.nnet.relu(T.dot(x, w1) + b1)
probabilities = T.nnet.softmax(T.dot(hidden, w2) + b2)
loss = T.nnet.categorical_crossentropy(probabilities, y).mean()
accuracy = T.mean(T.eq(T.argmax(probabilities, axis=1), y))

# Symbolic differentiation: T.grad returns new graph nodes for the gradients.
grads = T.grad(loss, params)
learning_rate = np.asarray(0.1, dtype=floatX)
updates = [(p, p - learning_rate * g) for p, g in zip(params, grads)]

# Compilation: the graph is optimised and turned into a callable.
train = theano.function([x, y], loss, updates=updates)
evaluate = theano.function([x, y], [loss, accuracy])

for epoch in range(5):
    for start in range(0, len(inputs), 64):
        train(inputs[start : start + 64], labels[start : start + 64])
    full_loss, full_accuracy = evaluate(inputs, labels)
    print(
        f"epoch {epoch + 1}: loss {float(full_loss):.4f}, "
        f"accuracy {float(full_accuracy):.3f}"
    )

print(f"theano {theano.__version__}")

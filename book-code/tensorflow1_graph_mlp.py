"""784-128-10 classifier in TensorFlow 1.x style: build a graph, run it in a Session.

Written against tf.compat.v1 so that it runs on TensorFlow 2.
Run: python tensorflow1_graph_mlp.py   (tested with the versions given in the book)
"""

import numpy as np
import tensorflow as tf

# Must come before any graph, operation or tensor is created.
tf.compat.v1.disable_eager_execution()
tf.compat.v1.set_random_seed(0)  # graph-level seed for the initialisers below

# Synthetic data: 1024 samples, 784 features, labels from a linear teacher.
# Plain NumPy arrays: in this style, data enter the graph through feed_dict.
rng = np.random.default_rng(0)
inputs = rng.standard_normal((1024, 784)).astype(np.float32)
teacher = rng.standard_normal((784, 10)).astype(np.float32)
labels = (inputs @ teacher).argmax(axis=1).astype(np.int64)

# --- Phase 1: build the graph. Nothing below computes a value yet. ---

# Placeholders: graph inputs whose values are supplied when the graph is run.
x = tf.compat.v1.placeholder(tf.float32, shape=(None, 784), name="x")
y = tf.compat.v1.placeholder(tf.int64, shape=(None,), name="y")


def glorot_normal(n_in, n_out):
    return tf.compat.v1.random_normal((n_in, n_out), stddev=(2 / (n_in + n_out)) ** 0.5)


# Variables: their initial values are themselves graph operations.
w1 = tf.compat.v1.Variable(glorot_normal(784, 128), name="w1")
b1 = tf.compat.v1.Variable(tf.zeros(128), name="b1")
w2 = tf.compat.v1.Variable(glorot_normal(128, 10), name="w2")
b2 = tf.compat.v1.Variable(tf.zeros(10), name="b2")

logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2
loss = tf.reduce_mean(
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, axis=1), y), tf.float32))

# minimize() adds the gradient and update operations to the graph and returns
# one operation that performs a single SGD step when it is run.
train_op = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss)
init_op = tf.compat.v1.global_variables_initializer()

# --- Phase 2: run the graph in a session. ---

with tf.compat.v1.Session() as sess:
    sess.run(init_op)  # variables have no value until this runs
    for epoch in range(5):
        for start in range(0, len(inputs), 64):
            batch = {x: inputs[start : start + 64], y: labels[start : start + 64]}
            sess.run(train_op, feed_dict=batch)
        full_loss, full_accuracy = sess.run(
            [loss, accuracy], feed_dict={x: inputs, y: labels}
        )
        print(
            f"epoch {epoch + 1}: loss {float(full_loss):.4f}, "
            f"accuracy {float(full_accuracy):.3f}"
        )

print(f"tensorflow {tf.__version__}")

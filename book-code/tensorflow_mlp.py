"""784-128-10 classifier in low-level TensorFlow 2: tf.Variable, tf.GradientTape.

Run: python tensorflow_mlp.py   (tested with the versions given in the book)
"""

import tensorflow as tf

tf.random.set_seed(0)

# Synthetic data: 1024 samples, 784 features, labels from a linear teacher.
inputs = tf.random.normal((1024, 784))
teacher = tf.random.normal((784, 10))
labels = tf.argmax(inputs @ teacher, axis=1)

# Parameters as explicit variables (Glorot-style scaling for the weights).
w1 = tf.Variable(tf.random.normal((784, 128), stddev=(2 / (784 + 128)) ** 0.5))
b1 = tf.Variable(tf.zeros(128))
w2 = tf.Variable(tf.random.normal((128, 10), stddev=(2 / (128 + 10)) ** 0.5))
b2 = tf.Variable(tf.zeros(10))
params = [w1, b1, w2, b2]


def logits_of(x):
    return tf.nn.relu(x @ w1 + b1) @ w2 + b2


def loss_of(x, y):
    per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=y, logits=logits_of(x)
    )
    return tf.reduce_mean(per_example)


optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)


@tf.function  # optional: traces the step into a graph; remove to run eagerly
def train_step(x, y):
    with tf.GradientTape() as tape:  # records the operations run inside
        loss = loss_of(x, y)
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, params))
    return loss


dataset = tf.data.Dataset.from_tensor_slices((inputs, labels)).batch(64)
for epoch in range(5):
    for x, y in dataset:
        train_step(x, y)
    predictions = tf.argmax(logits_of(inputs), axis=1)
    accuracy = tf.reduce_mean(tf.cast(predictions == labels, tf.float32))
    print(
        f"epoch {epoch + 1}: loss {float(loss_of(inputs, labels)):.4f}, "
        f"accuracy {float(accuracy):.3f}"
    )

print(f"tensorflow {tf.__version__}")

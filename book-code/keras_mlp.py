"""784-128-10 classifier with the Keras API: Sequential, compile, fit.

Run: python keras_mlp.py   (Keras 3 on the TensorFlow backend; see the book)
"""

import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)

# Same kind of synthetic data as the other samples (NumPy's generator, so the
# numbers differ): 1024 samples, 784 features, labels from a linear teacher.
rng = np.random.default_rng(0)
inputs = rng.standard_normal((1024, 784)).astype("float32")
teacher = rng.standard_normal((784, 10)).astype("float32")
labels = (inputs @ teacher).argmax(axis=1)

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),  # logits; the loss below applies the softmax
    ]
)

model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.1),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)

model.fit(inputs, labels, batch_size=64, epochs=5, verbose=2)

print(f"keras {keras.__version__} on backend {keras.backend.backend()}")

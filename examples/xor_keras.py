"""XOR with Keras: the classic problem a single neuron cannot solve."""
import numpy as np
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(4, activation='tanh', input_shape=(2,)),
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss='binary_crossentropy')

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [0]])
model.fit(X, y, epochs=500)

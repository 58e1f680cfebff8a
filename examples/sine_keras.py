from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

# 1-D regression: the panel fits the built-in sine data
model = Sequential()
model.add(Dense(16, input_dim=1, activation='tanh'))
model.add(Dense(16, activation='tanh'))
model.add(Dense(1))
model.compile(Adam(learning_rate=0.01), loss='mean_squared_error')

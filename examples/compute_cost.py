# The course-lab cost of linear regression, computed over data read from a CSV.
# Hover over w or b for the partial derivatives; run "Visualize Gradient Descent".
import numpy as np

data = np.loadtxt("house_prices.csv", delimiter=",", skiprows=1)
x_train = data[:, 0]
y_train = data[:, 1]


def compute_cost(x, y, w, b):
    m = x.shape[0]
    cost_sum = 0
    for i in range(m):
        f_wb = w * x[i] + b
        cost = (f_wb - y[i]) ** 2
        cost_sum = cost_sum + cost
    total_cost = (1 / (2 * m)) * cost_sum
    return total_cost


alpha = 0.05
print(compute_cost(x_train, y_train, 100, 50))

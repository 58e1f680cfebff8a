# micrograd's first example: a script, no def. Put the cursor on L and run
# "Visualize Gradient Descent": the leaves a, b, c, f are the parameters.
from micrograd.engine import Value

a = Value(2.0)
b = Value(-3.0)
c = Value(10.0)
e = a * b
d = e + c
f = Value(-2.0)
L = d * f
L.backward()

"""Forms of the activities app, one module per feature. They only check the input's shape;
the services decide who may do what."""

"""`bitten demo`: a bounded replay through every function, with simulated traders."""

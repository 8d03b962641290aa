"""Binary ops with NumPy-style broadcasting: broadcast_add, broadcast_mul, ..."""

# In lockstep with the root package.json and exchange/pyproject.toml (tests/test_packaging.py).
__version__ = "0.1.0"

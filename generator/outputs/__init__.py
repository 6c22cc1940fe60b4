"""One small module per published output; `generator/export.py` lists them and runs them all."""

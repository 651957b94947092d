"""Benchmarks behind ``motcua bench ...``: they generate their own corpus (see ``synth``)."""

"""Synthetic documents with ground truth (fake people only), for tests, benchmarks and samples."""

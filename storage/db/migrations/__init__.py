"""Alembic migrations, shipped inside the package so ``motcua db upgrade`` works when installed."""

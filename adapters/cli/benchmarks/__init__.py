"""Benchmarks run by ``fixbot bench``: each module has ``run(args, settings) -> int``."""

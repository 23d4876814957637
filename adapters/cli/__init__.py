"""The ``fixbot`` command: reads settings, builds the engine and starts adapters.

Entry point: ``adapters.cli.main:main``. Its subcommands live in ``commands/``, the
speed benchmarks in ``benchmarks/``, and the match/eval helpers beside them. This is
the one adapter allowed to import the others (it starts them).
"""

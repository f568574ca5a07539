"""The benchmarks: a synthetic-site builder and the `bench_site` and `bench_search` commands.

A development-only app: settings add it when the checkout has it; the package does not ship it.
"""

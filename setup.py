"""Build hook for the one optional C accelerator; everything else is in pyproject.toml.

madang.solvers.tlog._fasthash hashes Merkle tree batches in C. It is optional: where no C
compiler is available the build skips it and the pure-Python path is used.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "madang.solvers.tlog._fasthash",
            sources=["madang/solvers/tlog/_fasthash.c"],
            libraries=["dl"],
            extra_compile_args=["-O2", "-std=c11"],
            optional=True,
        )
    ]
)

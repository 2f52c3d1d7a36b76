"""The packages to install. All other metadata lives in pyproject.toml.

`sql/` sits at the top of the repository, where people look for it, and ships inside the package as
`multinational_assets.sql` (its SQL files as package data, read with importlib.resources), so an
installed wheel finds every SQL file without the repository.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["multinational_assets", "multinational_assets.*"]), "multinational_assets.sql"],
    package_dir={"multinational_assets.sql": "sql"},
    package_data={"multinational_assets.sql": ["*/*.sql"]},
)

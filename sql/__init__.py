"""The project's SQL, one statement of intent per file, in folders by use (`star/`, `checks/`,
`metrics/`). This folder ships inside the package as `multinational_assets.sql` (see setup.py), so an
installed wheel finds every file; `multinational_assets.sql_files` reads them."""

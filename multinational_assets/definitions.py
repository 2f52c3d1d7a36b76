"""The one Dagster `Definitions` of the project: assets, checks, resources, jobs, schedules, sensors."""

from dagster import Definitions, load_assets_from_modules

from multinational_assets.resources import LegacyDatabaseResource, PdfTableReader, SourceBucket, StoresApiResource
from multinational_assets.sources.card_details import extract as card_details_extract
from multinational_assets.sources.date_times import extract as date_times_extract
from multinational_assets.sources.orders import extract as orders_extract
from multinational_assets.sources.products import extract as products_extract
from multinational_assets.sources.store_details import extract as store_details_extract
from multinational_assets.sources.users import extract as users_extract
from multinational_assets.warehouse import PostgresDataFrameIOManager, WarehouseResource

raw_assets = load_assets_from_modules(
    [users_extract, orders_extract, card_details_extract, store_details_extract, products_extract, date_times_extract]
)

warehouse = WarehouseResource()

# Every resource leaves its connection details empty: they are read from settings at run time, so
# no secret is ever part of run config.
resources = {
    "io_manager": PostgresDataFrameIOManager(warehouse=warehouse),
    "warehouse": warehouse,
    "legacy_database": LegacyDatabaseResource(),
    "source_bucket": SourceBucket(),
    "stores_api": StoresApiResource(),
    "pdf_reader": PdfTableReader(),
}

defs = Definitions(assets=[*raw_assets], resources=resources)

"""Settings: the sandbox by default, the environment when set, secrets kept out of repr."""

import pytest

from multinational_assets import settings
from multinational_assets.defs.resources import LegacyDatabaseResource, SourceBucket, StoresApiResource, WarehouseResource


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("LEGACY_DATABASE_URL", "WAREHOUSE_URL", "DAGSTER_STORAGE_URL", "S3_ENDPOINT_URL",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "STORES_API_URL", "STORES_API_KEY",
                 "MULTINATIONAL_EXECUTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", str(tmp_path))
    return tmp_path


def test_unset_variables_point_at_the_sandbox(clean_env):
    warehouse_url = settings.setting("WAREHOUSE_URL")
    assert warehouse_url.startswith("postgresql+psycopg://postgres@/warehouse?host=")
    assert str(clean_env / "pgdata").replace("/", "%2F") in warehouse_url
    assert settings.setting("DAGSTER_STORAGE_URL").startswith("postgresql+psycopg2://")
    assert settings.setting("S3_ENDPOINT_URL").startswith("http://127.0.0.1:")
    assert settings.setting("AWS_ACCESS_KEY_ID") == "sandbox"
    assert settings.executor_setting() == "in_process"


def test_production_is_only_environment_variables(clean_env, monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "aws")
    monkeypatch.setenv("WAREHOUSE_URL", "postgresql+psycopg://etl:pw@warehouse.internal:5432/dw")
    monkeypatch.setenv("STORES_API_URL", "https://api.example.com/prod/")
    monkeypatch.setenv("STORES_API_KEY", "k" * 40)
    bucket = SourceBucket.from_settings()
    assert bucket.get_client().meta.endpoint_url == "https://s3.eu-west-1.amazonaws.com"  # real AWS
    assert settings.setting("AWS_ACCESS_KEY_ID") is None  # boto3's own credential chain
    assert WarehouseResource.from_settings().resolved_url().endswith("@warehouse.internal:5432/dw")
    api = StoresApiResource.from_settings().client
    assert api.base_url == "https://api.example.com/prod" and api.key == "k" * 40


def test_secrets_reach_resources_as_variable_names_not_values(clean_env, monkeypatch):
    monkeypatch.setenv("STORES_API_KEY", "very-secret-api-key-123")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "very-secret-aws-key-456")
    text = repr([StoresApiResource.from_settings(), SourceBucket.from_settings()])
    assert "very-secret-api-key-123" not in text and "very-secret-aws-key-456" not in text
    assert "STORES_API_KEY" in text and "AWS_SECRET_ACCESS_KEY" in text


def test_every_resource_field_names_a_declared_setting():
    for resource in (WarehouseResource, LegacyDatabaseResource, SourceBucket, StoresApiResource):
        for field_name, setting_name in resource.setting_fields().items():
            assert setting_name in settings.SETTINGS, (resource.__name__, field_name)


def test_unknown_executor_is_refused_by_name():
    from multinational_assets.definitions import choose_executor

    with pytest.raises(ValueError, match="MULTINATIONAL_EXECUTOR='celery' is not one of: in_process, multiprocess"):
        choose_executor("celery")

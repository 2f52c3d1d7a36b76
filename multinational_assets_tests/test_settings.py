"""Settings: the sandbox by default, the environment when set, secrets kept out of repr."""

import pytest

from multinational_assets import settings


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("LEGACY_DATABASE_URL", "WAREHOUSE_URL", "DAGSTER_STORAGE_URL", "S3_ENDPOINT_URL",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "STORES_API_URL", "STORES_API_KEY",
                 "MULTINATIONAL_EXECUTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MULTINATIONAL_SANDBOX_DIR", str(tmp_path))
    return tmp_path


def test_unset_variables_point_at_the_sandbox(clean_env):
    s = settings.load_settings()
    assert s.warehouse_url.startswith("postgresql+psycopg://postgres@/warehouse?host=")
    assert str(clean_env / "pgdata").replace("/", "%2F") in s.warehouse_url
    assert s.dagster_storage_url.startswith("postgresql+psycopg2://")
    assert s.s3_endpoint_url.startswith("http://127.0.0.1:")
    assert s.aws_access_key_id == "sandbox"
    assert s.executor == "in_process"


def test_production_is_only_environment_variables(clean_env, monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "aws")
    monkeypatch.setenv("WAREHOUSE_URL", "postgresql+psycopg://etl:pw@warehouse.internal:5432/dw")
    monkeypatch.setenv("STORES_API_URL", "https://api.example.com/prod/")
    monkeypatch.setenv("STORES_API_KEY", "k" * 40)
    s = settings.load_settings()
    assert s.s3_endpoint_url is None and s.aws_access_key_id is None  # boto3's own credential chain
    assert s.warehouse_url.endswith("@warehouse.internal:5432/dw")
    assert s.stores_api_url == "https://api.example.com/prod"
    assert s.stores_api_key == "k" * 40


def test_secrets_are_not_in_repr(clean_env, monkeypatch):
    monkeypatch.setenv("STORES_API_KEY", "very-secret-api-key-123")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "very-secret-aws-key-456")
    text = repr(settings.load_settings())
    assert "very-secret-api-key-123" not in text and "very-secret-aws-key-456" not in text


def test_unknown_executor_is_refused_by_name():
    from multinational_assets.definitions import choose_executor

    with pytest.raises(ValueError, match="MULTINATIONAL_EXECUTOR='celery' is not one of: in_process, multiprocess"):
        choose_executor("celery")

"""The star schema, built by SQL (`build`); what went wrong when it could not be (`problems`). No Dagster."""

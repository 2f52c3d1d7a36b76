-- Rows whose key is missing or repeats an earlier row's key: zero for a table keyed by {key}.
SELECT count(*) - count(DISTINCT {key}) FROM {table};

-- Why some keys are missing from a dimension: the quarantined rows that carried them, with their
-- reasons (a row set aside for another reason may still have had a readable key).
SELECT row_key, reasons
FROM quarantine.{dimension}
WHERE row_key = ANY(%(keys)s)
ORDER BY row_key;

-- Replace the live star by the one just built, in the caller's single transaction: readers see
-- either the old star or the new one, never a mix. The IF NOT EXISTS makes the first build (when
-- there is no star yet) take the same path as every later one.
CREATE SCHEMA IF NOT EXISTS {target};
ALTER SCHEMA {target} RENAME TO {retired};
ALTER SCHEMA {staging} RENAME TO {target};
DROP SCHEMA {retired} CASCADE;

-- A fresh, empty schema to build the next star in. Leftovers of an interrupted swap are dropped
-- first (they can only exist if a previous build died between statements of a transaction,
-- which Postgres rolls back, so this is belt and braces).
DROP SCHEMA IF EXISTS {staging} CASCADE;
DROP SCHEMA IF EXISTS {retired} CASCADE;
CREATE SCHEMA {staging};

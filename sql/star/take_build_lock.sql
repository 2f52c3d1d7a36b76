-- Serialise builds of one star: a second build waits here until the first has committed or
-- rolled back, instead of tripping over the first one's staging schema.
SELECT pg_advisory_xact_lock(hashtext({lock_name}));

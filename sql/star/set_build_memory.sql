-- Memory for this build's transaction only: checking a foreign key joins 1.2M orders with a
-- dimension of 1.2M rows, which at the server's default work_mem (4 MB) spills to disk in batches;
-- with room for the hash table in memory the keys are checked a third faster.
SET LOCAL work_mem = '128MB';
SET LOCAL maintenance_work_mem = '256MB';

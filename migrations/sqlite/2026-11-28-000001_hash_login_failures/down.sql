-- Nothing to restore: the names as typed are not kept.
SELECT 1;

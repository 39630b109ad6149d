-- A fire keeps the order it sent (symbol, side, volume, stop, target, client id), so
-- reconciliation and fills use exactly what went to the broker instead of rebuilding it.
ALTER TABLE fires ADD COLUMN order_request jsonb;

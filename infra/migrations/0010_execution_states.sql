-- One visible mission status from the alert to the closed trade, fire attempts that can be
-- handed back when nothing reached the broker, a short client id the MT5 comment can hold,
-- and the facts of a result (fill price, slippage, close reason, money) a renderer reads.

ALTER TABLE missions DROP CONSTRAINT missions_status_check;
UPDATE missions m SET status = CASE p.close_reason
        WHEN 'tp' THEN 'closed_tp' WHEN 'sl' THEN 'closed_sl' WHEN 'stopout' THEN 'closed_stopout'
        ELSE 'closed_manual' END
    FROM positions p WHERE p.mission_id = m.id AND p.closed_at IS NOT NULL AND m.status = 'fired';
UPDATE missions SET status = 'filled' WHERE status = 'fired';
ALTER TABLE missions ADD CONSTRAINT missions_status_check CHECK (status IN (
    'open', 'fire_requested', 'filled', 'closed_tp', 'closed_sl', 'closed_manual',
    'closed_stopout', 'rejected', 'expired'));
ALTER TABLE missions ADD COLUMN status_reason text;
ALTER TABLE missions ADD COLUMN fire_attempts integer NOT NULL DEFAULT 0;
UPDATE missions SET fire_attempts = 1 WHERE status NOT IN ('open', 'expired');
ALTER TABLE missions ADD COLUMN fire_requested_at timestamptz;  -- the current attempt's tap
UPDATE missions m SET fire_requested_at = r.at FROM (SELECT mission_id, max(requested_at) AS at
    FROM fire_requests WHERE accepted GROUP BY mission_id) r WHERE r.mission_id = m.id;

ALTER TABLE fires DROP CONSTRAINT fires_state_check;
ALTER TABLE fires ADD CONSTRAINT fires_state_check
    CHECK (state IN ('claimed', 'sent', 'filled', 'rejected', 'unknown', 'released'));
ALTER TABLE fires ADD COLUMN attempt integer NOT NULL DEFAULT 1;
-- Fires sent before this migration carried the whole mission UUID as their client id.
ALTER TABLE fires ADD COLUMN client_id text;
UPDATE fires SET client_id = mission_id::text;
ALTER TABLE fires ALTER COLUMN client_id SET NOT NULL;
ALTER TABLE fires ADD CONSTRAINT fires_client_id_key UNIQUE (client_id);

ALTER TABLE positions ADD COLUMN requested_price numeric(18, 6);  -- the signal's entry
ALTER TABLE positions ADD COLUMN slippage_pips numeric(10, 1);  -- + = filled worse than entry
ALTER TABLE positions ADD COLUMN currency text;  -- of profit, commission and swap
ALTER TABLE positions ADD COLUMN open_deal bigint;
ALTER TABLE positions ADD COLUMN close_deal bigint;
ALTER TABLE positions ADD COLUMN commission numeric(18, 2);
ALTER TABLE positions ADD COLUMN swap numeric(18, 2);

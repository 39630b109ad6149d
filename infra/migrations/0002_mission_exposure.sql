-- Each mission keeps the risk multiplier it was sized with: the signal's CITADEL multiplier,
-- lowered when the trader already has open trades betting the same way on a currency.
ALTER TABLE missions ADD COLUMN risk_multiplier numeric(4, 2);
ALTER TABLE missions ADD COLUMN exposure_note text;
UPDATE missions m SET risk_multiplier = s.risk_multiplier FROM signals s WHERE s.id = m.signal_id;
ALTER TABLE missions ALTER COLUMN risk_multiplier SET NOT NULL;

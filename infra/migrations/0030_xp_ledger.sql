-- Issue 12: XP becomes an append-only ledger. Each award is one row, unique per
-- (kind, reference), so a redelivered message or a second scheduler run awards nothing.
-- traders.xp stays as the running balance: the ledger writes it in the same statement as each
-- event, so sum(xp_events.amount) = traders.xp for every trader, and old readers keep working.
CREATE TABLE xp_events (
    id            bigserial PRIMARY KEY,
    trader_id     uuid NOT NULL REFERENCES traders(id),
    kind          text NOT NULL,
    amount        integer NOT NULL CHECK (amount <> 0),
    reference     text NOT NULL,
    note          text NOT NULL DEFAULT '',
    at            timestamptz NOT NULL,
    UNIQUE (kind, reference)
);
CREATE INDEX xp_events_trader_at_idx ON xp_events (trader_id, at);

-- The counter from before the ledger (+10 a close, +5 a win) becomes one opening event.
INSERT INTO xp_events (trader_id, kind, amount, reference, note, at)
SELECT id, 'opening_balance', xp, id::text, 'XP earned before the ledger', now()
FROM traders WHERE xp <> 0;

ALTER TABLE traders ADD CONSTRAINT traders_xp_not_negative CHECK (xp >= 0);

-- The trader's product: referral codes and paid-tier expiry on traders, verified account links,
-- Stars payments, the alert message's shown stage, trade notes, and the shared send pacer.

ALTER TABLE traders ADD COLUMN referral_code text UNIQUE
    DEFAULT upper(substr(md5(random()::text || clock_timestamp()::text), 1, 8));
UPDATE traders SET referral_code = upper(substr(md5(id::text), 1, 8)) WHERE referral_code IS NULL;
ALTER TABLE traders ALTER COLUMN referral_code SET NOT NULL;
ALTER TABLE traders ADD COLUMN referred_by uuid REFERENCES traders(id);
ALTER TABLE traders ADD COLUMN tier_expires_at timestamptz;  -- NULL: not a paid window
CREATE INDEX traders_tier_expiry_idx ON traders (tier_expires_at) WHERE tier_expires_at IS NOT NULL;

ALTER TABLE broker_accounts ADD COLUMN verified_at timestamptz;

-- One row per telegram_payment_charge_id: a redelivered successful_payment changes nothing.
CREATE TABLE star_payments (
    charge_id     text PRIMARY KEY,
    trader_id     uuid NOT NULL REFERENCES traders(id),
    tier          text NOT NULL CHECK (tier IN ('NIBBLER', 'FANG', 'COMMANDER')),
    stars         integer NOT NULL CHECK (stars > 0),
    paid_at       timestamptz NOT NULL,
    starts_at     timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL CHECK (expires_at > starts_at),
    refunded_at   timestamptz
);
CREATE INDEX star_payments_trader_idx ON star_payments (trader_id, expires_at DESC);

-- The personal alert is one message edited as the mission moves: `shown` is the stage it
-- shows, `noticed` the last stage a short notification went out for. No message_id: the
-- alert was not sent (`skipped` says why: it would have arrived after the mission expired,
-- or the trader blocked the bot).
ALTER TABLE alerts ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN shown text NOT NULL DEFAULT 'open';
ALTER TABLE alerts ADD COLUMN noticed text;
ALTER TABLE alerts ADD COLUMN skipped text;
ALTER TABLE alerts ADD COLUMN updated_at timestamptz;
CREATE INDEX alerts_live_idx ON alerts (sent_at)
    WHERE message_id IS NOT NULL AND shown NOT IN ('closed', 'rejected', 'expired');

CREATE TABLE trade_notes (
    mission_id    uuid PRIMARY KEY REFERENCES missions(id),
    trader_id     uuid NOT NULL REFERENCES traders(id),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    tags          text[] NOT NULL DEFAULT '{}',
    updated_at    timestamptz NOT NULL
);
CREATE INDEX positions_closed_idx ON positions (closed_at DESC) WHERE closed_at IS NOT NULL;

-- Telegram's limits shared by every function instance: one GCRA lane per chat, plus the free
-- (~30/s) and paid (~1,000/s) broadcast lanes. `tat` is epoch seconds on the database clock.
CREATE TABLE send_lanes (
    lane          text PRIMARY KEY,
    tat           double precision NOT NULL
);

-- Issue 13, operator actions: VENOM setups switched off and on, broadcasts, tiers granted by hand.

-- A setup without a row is on. signal_scan reads the table once per run.
CREATE TABLE setup_switches (
    name          text PRIMARY KEY,
    enabled       boolean NOT NULL DEFAULT true,
    reason        text NOT NULL DEFAULT '',
    changed_by    text NOT NULL DEFAULT '',
    changed_at    timestamptz
);

-- One row per operator broadcast; its messages are owed notices (game_notices, kind
-- 'broadcast', reference '<broadcast id>:<trader id>'), sent once each by game_dispatch at
-- broadcast priority, behind replies and fresh alerts.
CREATE TABLE broadcasts (
    id            uuid PRIMARY KEY,
    text          text NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),
    tier          text CHECK (tier IN ('PRESS_PASS', 'NIBBLER', 'FANG', 'COMMANDER')),
    reason        text NOT NULL,
    actor         text NOT NULL,
    created_at    timestamptz NOT NULL,
    recipients    integer NOT NULL DEFAULT 0
);

-- A tier window is bought with Stars or granted by an operator (stars 0, no Telegram charge:
-- its charge_id is 'operator:<uuid>'). Refunds are for Stars; a grant is revoked instead
-- (refunded_at then says when it was taken back).
ALTER TABLE star_payments ADD COLUMN source text NOT NULL DEFAULT 'stars'
    CHECK (source IN ('stars', 'operator'));
ALTER TABLE star_payments DROP CONSTRAINT star_payments_stars_check;
ALTER TABLE star_payments ADD CONSTRAINT star_payments_stars_check
    CHECK (stars > 0 OR (source = 'operator' AND stars = 0));

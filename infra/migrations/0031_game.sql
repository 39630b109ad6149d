-- Issue 12: tactical plans, time zones and referrals, drill reports and streaks, achievements,
-- the intel shop and the battle pass, and the game's outbox of Telegram messages.
CREATE TABLE game_profiles (
    trader_id     uuid PRIMARY KEY REFERENCES traders(id),
    time_zone     text NOT NULL DEFAULT 'UTC'
);
CREATE INDEX game_profiles_zone_idx ON game_profiles (time_zone);

-- Referrals are 0020's traders.referral_code/referred_by; a recruit turns active (XP for both,
-- a rank step for the referrer) once, when they linked an account and had an order filled.
ALTER TABLE traders ADD COLUMN recruit_active_at timestamptz;
CREATE INDEX traders_referrer_idx ON traders (referred_by) WHERE referred_by IS NOT NULL;

CREATE TABLE plan_choices (
    trader_id     uuid NOT NULL REFERENCES traders(id),
    effective_day date NOT NULL,
    strategy      text NOT NULL
                  CHECK (strategy IN ('LONE_WOLF', 'FIRST_BLOOD', 'DOUBLE_TAP', 'TACTICAL_COMMAND')),
    chosen_at     timestamptz NOT NULL,
    PRIMARY KEY (trader_id, effective_day)
);

CREATE TABLE drill_reports (
    id            uuid PRIMARY KEY,
    trader_id     uuid NOT NULL REFERENCES traders(id),
    day           date NOT NULL,
    zone          text NOT NULL,
    tone          text NOT NULL,
    discipline    integer NOT NULL CHECK (discipline BETWEEN 0 AND 100),
    outcome       text NOT NULL CHECK (outcome IN ('followed', 'missed', 'broken', 'neutral')),
    cover         text CHECK (cover IN ('grace', 'shield')),
    stats         jsonb NOT NULL,
    text          text NOT NULL,
    read_at       timestamptz,
    created_at    timestamptz NOT NULL,
    UNIQUE (trader_id, day)
);

CREATE TABLE streaks (
    trader_id     uuid PRIMARY KEY REFERENCES traders(id),
    current       integer NOT NULL DEFAULT 0 CHECK (current >= 0),
    best          integer NOT NULL DEFAULT 0 CHECK (best >= current),
    last_day      date,
    grace_week    text
);

CREATE TABLE achievements (
    trader_id     uuid NOT NULL REFERENCES traders(id),
    code          text NOT NULL,
    unlocked_at   timestamptz NOT NULL,
    PRIMARY KEY (trader_id, code)
);

CREATE TABLE inventory (
    trader_id     uuid NOT NULL REFERENCES traders(id),
    item          text NOT NULL,
    quantity      integer NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (trader_id, item)
);

CREATE TABLE item_uses (
    item          text NOT NULL,
    reference     text NOT NULL,
    trader_id     uuid NOT NULL REFERENCES traders(id),
    used_at       timestamptz NOT NULL,
    PRIMARY KEY (item, reference)
);
CREATE INDEX item_uses_trader_idx ON item_uses (trader_id, item, used_at);

CREATE TABLE purchases (
    id              uuid PRIMARY KEY,
    trader_id       uuid NOT NULL REFERENCES traders(id),
    item            text NOT NULL,
    price           integer NOT NULL CHECK (price >= 0),
    day             date NOT NULL,
    season          text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    bought_at       timestamptz NOT NULL
);
CREATE INDEX purchases_trader_day_idx ON purchases (trader_id, item, day);

CREATE TABLE shop_stock (
    item          text NOT NULL,
    season        text NOT NULL,
    remaining     integer NOT NULL CHECK (remaining >= 0),
    PRIMARY KEY (item, season)
);

CREATE TABLE pass_claims (
    trader_id     uuid NOT NULL REFERENCES traders(id),
    season        text NOT NULL,
    track         text NOT NULL CHECK (track IN ('free', 'premium')),
    level         integer NOT NULL,
    item          text NOT NULL,
    claimed_at    timestamptz NOT NULL,
    PRIMARY KEY (trader_id, season, track, level)
);

CREATE TABLE game_notices (
    id            uuid PRIMARY KEY,
    trader_id     uuid NOT NULL REFERENCES traders(id),
    chat_id       bigint NOT NULL,
    kind          text NOT NULL,
    reference     text NOT NULL,
    text          text NOT NULL,
    button        text,
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    created_at    timestamptz NOT NULL,
    enqueued_at   timestamptz,
    updated_at    timestamptz NOT NULL,
    message_id    bigint,
    UNIQUE (kind, reference)
);
CREATE INDEX game_notices_pending_idx ON game_notices (status, enqueued_at)
    WHERE status IN ('queued', 'sending');

-- What the drill's day statistics and the plan's shot count look up (closes by time: 0020's
-- positions_closed_idx).
CREATE INDEX fire_requests_mission_idx ON fire_requests (mission_id) WHERE accepted;
CREATE INDEX trace_trader_hop_idx ON trace_events (trader_id, hop, at);

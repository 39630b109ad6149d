-- BITTEN core schema: traders, broker accounts, signals, missions, fires, positions, trace.

CREATE TABLE traders (
    id            uuid PRIMARY KEY,
    telegram_id   bigint NOT NULL UNIQUE,
    username      text NOT NULL DEFAULT '',
    tier          text NOT NULL DEFAULT 'PRESS_PASS'
                  CHECK (tier IN ('PRESS_PASS', 'NIBBLER', 'FANG', 'COMMANDER')),
    xp            integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL
);

CREATE TABLE broker_accounts (
    trader_id     uuid PRIMARY KEY REFERENCES traders(id),
    login         text NOT NULL UNIQUE,
    demo          boolean NOT NULL,
    currency      text NOT NULL DEFAULT 'USD',
    linked_at     timestamptz NOT NULL
);

CREATE TABLE signals (
    id              uuid PRIMARY KEY,
    pair            text NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('buy', 'sell')),
    entry           numeric(18, 6) NOT NULL,
    stop_pips       numeric(10, 1) NOT NULL CHECK (stop_pips > 0),
    target_pips     numeric(10, 1) NOT NULL CHECK (target_pips > 0),
    confidence      integer NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    shield_score    numeric(4, 1) NOT NULL,
    shield_label    text NOT NULL,
    risk_multiplier numeric(4, 2) NOT NULL CHECK (risk_multiplier BETWEEN 0.25 AND 1.5),
    reasons         jsonb NOT NULL DEFAULT '[]',
    shield_checks   jsonb NOT NULL DEFAULT '[]',
    engine          text NOT NULL,
    bar_time        timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    UNIQUE (pair, bar_time, direction)
);

CREATE TABLE missions (
    id            uuid PRIMARY KEY,
    signal_id     uuid NOT NULL REFERENCES signals(id),
    trader_id     uuid NOT NULL REFERENCES traders(id),
    status        text NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'fire_requested', 'fired', 'rejected', 'expired')),
    balance       numeric(18, 2) NOT NULL,
    risk_amount   numeric(18, 2) NOT NULL,
    lots          numeric(10, 2) NOT NULL CHECK (lots > 0),
    sl_price      numeric(18, 6) NOT NULL,
    tp_price      numeric(18, 6) NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    UNIQUE (signal_id, trader_id)
);
CREATE INDEX missions_trader_idx ON missions (trader_id, created_at DESC);
CREATE INDEX missions_open_expiry_idx ON missions (expires_at) WHERE status = 'open';

CREATE TABLE fires (
    mission_id    uuid PRIMARY KEY REFERENCES missions(id),
    id            uuid NOT NULL UNIQUE,
    state         text NOT NULL CHECK (state IN ('claimed', 'sent', 'filled', 'rejected', 'unknown')),
    retcode       integer,
    message       text NOT NULL DEFAULT '',
    claimed_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE fire_requests (
    id            uuid PRIMARY KEY,
    mission_id    uuid NOT NULL REFERENCES missions(id),
    source        text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    accepted      boolean NOT NULL,
    requested_at  timestamptz NOT NULL
);

CREATE TABLE positions (
    mission_id    uuid PRIMARY KEY REFERENCES missions(id),
    ticket        bigint NOT NULL,
    symbol        text NOT NULL,
    side          text NOT NULL,
    volume        numeric(10, 2) NOT NULL,
    price_open    numeric(18, 6) NOT NULL,
    opened_at     timestamptz NOT NULL,
    price_close   numeric(18, 6),
    close_reason  text,
    profit        numeric(18, 2),
    pips          numeric(10, 1),
    closed_at     timestamptz
);
CREATE INDEX positions_open_idx ON positions (mission_id) WHERE closed_at IS NULL;

CREATE TABLE alerts (
    mission_id    uuid PRIMARY KEY REFERENCES missions(id),
    chat_id       bigint NOT NULL,
    message_id    bigint NOT NULL,
    sent_at       timestamptz NOT NULL
);

CREATE TABLE group_alerts (
    signal_id     uuid PRIMARY KEY REFERENCES signals(id),
    chat_id       bigint NOT NULL,
    message_id    bigint NOT NULL,
    sent_at       timestamptz NOT NULL
);

CREATE TABLE telegram_updates (
    update_id     bigint PRIMARY KEY,
    kind          text NOT NULL,
    received_at   timestamptz NOT NULL
);

CREATE TABLE trace_events (
    id            bigserial PRIMARY KEY,
    hop           text NOT NULL,
    at            timestamptz NOT NULL,
    signal_id     uuid,
    mission_id    uuid,
    trader_id     uuid,
    detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX trace_mission_idx ON trace_events (mission_id, at);
CREATE INDEX trace_signal_idx ON trace_events (signal_id, at);
CREATE INDEX trace_hop_idx ON trace_events (hop);

-- Broker callbacks (fills and closes) already handled, by deal ticket: a redelivered event
-- changes nothing.
CREATE TABLE broker_deals (
    deal          bigint PRIMARY KEY,
    login         text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('fill', 'close')),
    received_at   timestamptz NOT NULL
);

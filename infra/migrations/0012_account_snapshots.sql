-- What fan-out sizes missions from instead of one broker call per trader: each account's
-- balance, equity and free margin as result_sync (or a batch read at fan-out) last saw them.
CREATE TABLE account_snapshots (
    login         text PRIMARY KEY,
    currency      text NOT NULL,
    balance       numeric(18, 2) NOT NULL,
    equity        numeric(18, 2) NOT NULL,
    margin        numeric(18, 2) NOT NULL,
    margin_free   numeric(18, 2) NOT NULL,
    leverage      integer NOT NULL,
    demo          boolean NOT NULL,
    trade_allowed boolean NOT NULL,
    refreshed_at  timestamptz NOT NULL
);

-- Logs are data (issue 13): every log line of every function, written in batches by COPY
-- (bitten.adapters.postgres.log_sink), searched by mission, trader, signal, time and level
-- (bitten ops logs, GET /api/ops/logs), pruned after LOG_RETENTION_DAYS by trader_upkeep.
CREATE TABLE log_lines (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    level       text NOT NULL,                -- DEBUG, INFO, WARNING, ERROR, CRITICAL
    level_no    smallint NOT NULL,            -- logging's number: "WARNING and above" is >= 30
    logger      text NOT NULL,
    function    text,                         -- the Lambda function (or local handler) that logged
    request_id  text,                         -- its invocation (Lambda request id, or generated)
    signal_id   uuid,
    mission_id  uuid,
    trader_id   uuid,
    message     text NOT NULL,
    error       text,                         -- the traceback, when an exception was logged
    fields      jsonb NOT NULL DEFAULT '{}'   -- every other `extra` of the call
);
CREATE INDEX log_lines_at_idx ON log_lines (at DESC);
CREATE INDEX log_lines_mission_idx ON log_lines (mission_id, at DESC) WHERE mission_id IS NOT NULL;
CREATE INDEX log_lines_signal_idx ON log_lines (signal_id, at DESC) WHERE signal_id IS NOT NULL;
CREATE INDEX log_lines_trader_idx ON log_lines (trader_id, at DESC) WHERE trader_id IS NOT NULL;
CREATE INDEX log_lines_request_idx ON log_lines (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX log_lines_problems_idx ON log_lines (at DESC) WHERE level_no >= 30;

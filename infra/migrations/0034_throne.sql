-- The Commander Throne reads the trace by hop over a time window (flow counts, per-hop latency
-- percentiles, Telegram delivery): one index on (hop, at) replaces the one on hop alone, so
-- the trace's inserts pay for no extra index. Signals per setup are counted by creation time.
DROP INDEX IF EXISTS trace_hop_idx;
CREATE INDEX trace_hop_at_idx ON trace_events (hop, at);
CREATE INDEX signals_created_idx ON signals (created_at);

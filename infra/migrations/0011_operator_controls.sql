-- The kill switch: operators pause new signals and, separately, firing, with a reason.
-- Every change (and later every operator action) is one row of the audit log.
CREATE TABLE operator_switches (
    name          text PRIMARY KEY CHECK (name IN ('signals', 'firing')),
    paused        boolean NOT NULL DEFAULT false,
    reason        text NOT NULL DEFAULT '',
    changed_by    text NOT NULL DEFAULT '',
    changed_at    timestamptz
);
INSERT INTO operator_switches (name) VALUES ('signals'), ('firing');

CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text NOT NULL,             -- who: "cli:alice", "telegram:12345"
    action        text NOT NULL,             -- what: "pause_firing", "resume_signals" ...
    target        text NOT NULL DEFAULT '',  -- on what
    reason        text NOT NULL,             -- why
    before        jsonb NOT NULL DEFAULT '{}',
    after         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

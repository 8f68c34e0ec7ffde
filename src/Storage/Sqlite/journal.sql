-- The dialogue journal: one row per event, append-only. The primary key keeps a stream's rows in
-- sequence order, so "everything after N" is a range scan and an append never rewrites old rows.
CREATE TABLE IF NOT EXISTS journal (
  stream_id  TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  event_id   TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  client_key TEXT    NULL,
  at_ticks   INTEGER NOT NULL,
  payload    TEXT    NOT NULL,
  PRIMARY KEY (stream_id, seq)
) WITHOUT ROWID;

-- A client's submission id can be stored once per stream, whatever the grain remembers.
CREATE UNIQUE INDEX IF NOT EXISTS journal_client_key ON journal (stream_id, client_key) WHERE client_key IS NOT NULL;

-- The dialogue journal: one row per event, append-only. The primary key keeps a stream's rows in
-- sequence order, so "everything after N" is an index range scan and an append never rewrites
-- earlier rows, however long the stream is.
CREATE TABLE dialogue_journal (
  stream_id  text        NOT NULL,
  seq        bigint      NOT NULL,
  event_id   uuid        NOT NULL,
  kind       text        NOT NULL,
  client_key text        NULL,
  at         timestamptz NOT NULL,
  -- Kept as text, not jsonb: the grain reads back exactly the bytes it wrote.
  payload    text        NOT NULL,
  CONSTRAINT dialogue_journal_pk PRIMARY KEY (stream_id, seq)
);

-- A client's submission id is stored once per stream, whatever the grain remembers.
CREATE UNIQUE INDEX dialogue_journal_client_key ON dialogue_journal (stream_id, client_key) WHERE client_key IS NOT NULL;

-- The gateways' ASP.NET Core Data Protection key ring (it protects the anti-forgery tokens of the page
-- without JavaScript), shared by every gateway of a deployment so a form drawn by one gateway posts to
-- another, and kept across restarts of containers without a volume. One row per key, written once and
-- never changed; the key's XML is encrypted by the gateway under a key derived from Dialogue:SigningKey
-- (docs/lite.md), so reading this table alone does not give the keys.
CREATE TABLE dialogue_data_protection_keys (
  service_id    text        NOT NULL,
  friendly_name text        NOT NULL,
  xml           text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT dialogue_data_protection_keys_pk PRIMARY KEY (service_id, friendly_name)
);

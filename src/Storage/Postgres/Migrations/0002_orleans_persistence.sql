-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4 (invariant "Npgsql"). Written by this
-- team from the provider's contract (docs/architecture.md, Orleans storage schemas): the provider reads its query
-- texts from the table orleansquery and binds @GrainIdHash, @GrainIdN0, @GrainIdN1,
-- @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion and
-- @PayloadBinary. Every text is one statement, because the provider runs it in autocommit.

-- The provider names this table and its columns without quotes: it must be lower case.
CREATE TABLE orleansquery (
  querykey  text NOT NULL PRIMARY KEY,
  querytext text NOT NULL
);

CREATE TABLE orleans_grain_state (
  service_id      text        NOT NULL,
  -- The state name ([PersistentState("name")]), not the grain class: two classes with the same
  -- key and state name would share a row, so every grain class here uses its own state name.
  grain_type      text        NOT NULL,
  grain_id_n0     bigint      NOT NULL,
  grain_id_n1     bigint      NOT NULL,
  grain_id_ext    text        NULL,
  grain_id_hash   integer     NOT NULL,
  grain_type_hash integer     NOT NULL,
  payload         bytea       NULL,
  version         integer     NOT NULL,
  modified_at     timestamptz NOT NULL DEFAULT now(),
  -- The row identity. The extension is NULL for plain GUID and integer keys and NULL must match
  -- NULL, so concurrent first writes of one grain end as a conflict, never as two rows.
  CONSTRAINT orleans_grain_state_identity
    UNIQUE NULLS NOT DISTINCT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)
);

-- The lookups: string keys all have n0 = n1 = 0, so the identity index alone would scan every
-- string-keyed grain of a type; the two hashes narrow to about one row.
CREATE INDEX orleans_grain_state_hashes ON orleans_grain_state (grain_id_hash, grain_type_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- A grain that read a version updates only that version; a grain that saw no row inserts only
-- if there is still none. Either path returns the new version; no row back means a conflict.
('WriteToStorageKey', $q$
WITH updated AS (
  UPDATE orleans_grain_state
  SET payload = @PayloadBinary, version = version + 1, modified_at = now()
  WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
    AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
    AND service_id = @ServiceId AND grain_type = @GrainTypeString
    AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
    AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
  RETURNING version
), inserted AS (
  INSERT INTO orleans_grain_state
    (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, grain_id_hash, grain_type_hash, payload, version)
  SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
    @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
  WHERE @GrainStateVersion IS NULL
  ON CONFLICT ON CONSTRAINT orleans_grain_state_identity DO NOTHING
  RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

-- The row stays with a NULL payload and the next version, so a later write continues the versions.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version AS "NewGrainStateVersion"
$q$),

-- Used with DeleteStateOnClear: the first column must differ from the version sent.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version + 1 AS "NewGrainStateVersion"
$q$);

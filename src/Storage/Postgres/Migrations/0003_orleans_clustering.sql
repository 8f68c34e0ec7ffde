-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4 (invariant "Npgsql"). Written by
-- this team from the provider's contract (docs/architecture.md, Orleans storage schemas). The provider's
-- DeploymentId is the Orleans ClusterId. Every conditional change is one statement, because the
-- provider runs each text in autocommit and never opens a transaction.

-- One row per cluster. Every member insert or update adds 1 to version in the same statement;
-- the version is the table's ETag, so a silo acting on a stale view gets 0 back and re-reads.
CREATE TABLE orleans_membership_version (
  deployment_id text        NOT NULL PRIMARY KEY,
  version       integer     NOT NULL DEFAULT 0,
  changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). Times are timestamptz: the provider
-- sends UTC and reads the value back as UTC, whatever the session time zone.
CREATE TABLE orleans_membership (
  deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
  address         text        NOT NULL,
  port            integer     NOT NULL,
  generation      integer     NOT NULL,
  silo_name       text        NOT NULL,
  host_name       text        NOT NULL,
  status          integer     NOT NULL,
  -- 0 means "not a gateway"; never NULL, the provider casts it to int.
  proxy_port      integer     NOT NULL DEFAULT 0,
  -- Votes "ip:port@generation,time GMT" joined by '|', NULL when none; stored as given.
  suspect_times   text        NULL,
  start_time      timestamptz NOT NULL,
  i_am_alive_time timestamptz NOT NULL,
  CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Exactly one row with one column: 1 when this call created the version row.
('InsertMembershipVersionKey', $q$
WITH created AS (
  INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
  ON CONFLICT (deployment_id) DO NOTHING
  RETURNING 1
)
SELECT count(*)::integer FROM created
$q$),

-- The version row left-joined to the members: a row with NULL StartTime means "no member".
('MembershipReadAllKey', $q$
SELECT v.deployment_id AS "DeploymentId", v.version AS "Version",
  m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
  m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
  m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
  m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT v.deployment_id AS "DeploymentId", v.version AS "Version",
  m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
  m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
  m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
  m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
  AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Bump the version only if it is the one the silo read and the silo is not there yet, then insert
-- the silo from that bump. The version row's lock serialises concurrent changes: a second caller
-- with the same version re-checks after the first commits and bumps nothing. A duplicate key
-- fails the whole statement, bump included. Returns 1 or 0.
('InsertMembershipKey', $q$
WITH bumped AS (
  UPDATE orleans_membership_version
  SET version = version + 1, changed_at = now()
  WHERE deployment_id = @DeploymentId AND version = @Version AND version < 2147483647
    AND NOT EXISTS (
      SELECT 1 FROM orleans_membership
      WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
  RETURNING deployment_id
), inserted AS (
  INSERT INTO orleans_membership
    (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
  SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
  FROM bumped
  RETURNING 1
)
SELECT count(*)::integer FROM inserted
$q$),

-- As the insert: bump only on the expected version and an existing row, change the row from the
-- bump. The heartbeat time never moves backwards.
('UpdateMembershipKey', $q$
WITH bumped AS (
  UPDATE orleans_membership_version
  SET version = version + 1, changed_at = now()
  WHERE deployment_id = @DeploymentId AND version = @Version AND version < 2147483647
    AND EXISTS (
      SELECT 1 FROM orleans_membership
      WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
  RETURNING deployment_id
), updated AS (
  UPDATE orleans_membership m
  SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = GREATEST(m.i_am_alive_time, @IAmAliveTime)
  FROM bumped
  WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
  RETURNING 1
)
SELECT count(*)::integer FROM updated
$q$),

-- The heartbeat: only the time, never the version.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = GREATEST(i_am_alive_time, @IAmAliveTime)
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Clients look for active silos with a gateway port (the provider passes Status = 3, Active).
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Wipes a cluster: the members go with the version row (ON DELETE CASCADE), in one statement.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Bulk cleanup, used only when CleanupDefunctSiloEntryKey is absent: dead silos with no votes,
-- started and last alive before the cutoff. The version stays.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6
  AND start_time < @IAmAliveTime AND i_am_alive_time < @IAmAliveTime
  AND (suspect_times IS NULL OR suspect_times = '')
$q$),

-- Per-row cleanup: the provider picked this dead row (votes included) as older than the cutoff;
-- delete it only if it is still dead and unchanged since it was read. NULL and '' votes are equal.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$q$);

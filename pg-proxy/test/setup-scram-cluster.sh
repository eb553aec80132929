#!/usr/bin/env bash
# What .ci/run must call (as root) before the pg-proxy tests and benchmark. Idempotent: safe to run again.
#
# 1. Installs the PostgreSQL client (psql, pgbench) and server binaries (initdb, pg_ctl) when missing.
#    The tests in pg-proxy/test/cluster.test.ts start their own throwaway cluster with initdb on a free
#    port (SCRAM, md5 and password roles, TLS with a test CA), so no service has to be running for them.
# 2. Installs pgbouncer, which bench/pg-proxy.bench.ts compares against (optional for the tests).
# 3. Creates a persistent cluster "guardscram" (pg_createcluster) on port 5433 with scram-sha-256 for
#    manual runs: `psql "host=127.0.0.1 port=5433 user=guard_scram password=guard-scram-pw dbname=guard"`.
#    Tests do not depend on it.
set -euo pipefail

need_install=()
command -v psql >/dev/null 2>&1 || need_install+=(postgresql-client)
command -v pgbench >/dev/null 2>&1 || need_install+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_install+=(postgresql)
command -v pgbouncer >/dev/null 2>&1 || need_install+=(pgbouncer)
command -v openssl >/dev/null 2>&1 || need_install+=(openssl)

if [ "${#need_install[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-scram-cluster: need root to install: ${need_install[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_install[@]}" >/dev/null
fi

# The persistent SCRAM cluster, only where Debian's cluster tools are present and we are root.
if [ "$(id -u)" = 0 ] && command -v pg_createcluster >/dev/null 2>&1; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | awk '{print $2}' | grep -qx guardscram; then
    pg_createcluster "$version" guardscram -p 5433 -- --auth-host=scram-sha-256 --auth-local=peer >/dev/null
  fi
  pg_ctlcluster "$version" guardscram start 2>/dev/null || true
  runuser -u postgres -- psql -X -q -p 5433 -d postgres -v ON_ERROR_STOP=1 <<'SQL'
SET password_encryption = 'scram-sha-256';
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'guard_scram') THEN
    CREATE ROLE guard_scram LOGIN PASSWORD 'guard-scram-pw';
  END IF;
END $$;
SELECT 'CREATE DATABASE guard OWNER guard_scram' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'guard')
\gexec
SQL
fi
echo "setup-scram-cluster: ready"

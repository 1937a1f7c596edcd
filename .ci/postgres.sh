#!/usr/bin/env bash
# Installs (when missing) and starts a PostgreSQL server on 127.0.0.1 with a "trainer" role and a "trainer_test" database;
# prints the connection string for TRAINER_TEST_POSTGRES. Used by .ci/run for the study-store tests.
set -e
if ! command -v pg_ctlcluster >/dev/null || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start 2>/dev/null || true
for i in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 0.5; done
runuser -u postgres -- psql -q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trainer') THEN CREATE ROLE trainer LOGIN PASSWORD 'trainer'; END IF; END \$\$;"
runuser -u postgres -- psql -tAq -c "SELECT 1 FROM pg_database WHERE datname = 'trainer_test'" | grep -q 1 || runuser -u postgres -- createdb -O trainer trainer_test
echo "Host=127.0.0.1;Username=trainer;Password=trainer;Database=trainer_test"

#!/bin/bash
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d): the two roles of
# Gatehouse (README "Database roles") and the database, owned by the owner role. The migrate service migrates as
# gatehouse_owner and grants gatehouse_app rows of the ordinary tables but only SELECT and INSERT on the audit tables.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$GATEHOUSE_OWNER_PASSWORD" -v app_password="$GATEHOUSE_APP_PASSWORD" <<'SQL'
CREATE ROLE gatehouse_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE gatehouse_app LOGIN PASSWORD :'app_password';
CREATE DATABASE gatehouse OWNER gatehouse_owner;
REVOKE ALL ON DATABASE gatehouse FROM PUBLIC;
GRANT CONNECT ON DATABASE gatehouse TO gatehouse_app;
SQL
# The public schema belongs to the database owner (PostgreSQL 15 and later); nobody else may create in it.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname gatehouse -c 'REVOKE CREATE ON SCHEMA public FROM PUBLIC'

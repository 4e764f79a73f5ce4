#!/bin/sh
# Run once by the postgres image on a new data volume (/docker-entrypoint-initdb.d): the schema's owner
# role (runs `manage.py migrate`) and the app's own login (no superuser, owns nothing; `migrate` grants
# it what it needs: command/db_roles.py), and the database, owned by the owner. README: Security.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v owner_password="$DB_OWNER_PASSWORD" -v app_password="$DB_APP_PASSWORD" <<'SQL'
CREATE ROLE dispatch_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE dispatch_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE dispatch OWNER dispatch_owner;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname dispatch <<'SQL'
ALTER SCHEMA public OWNER TO dispatch_owner;
REVOKE ALL ON DATABASE dispatch FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE dispatch TO dispatch_app;
SQL

-- Run once by the postgres image on first start (docker-compose.yml mounts it into
-- /docker-entrypoint-initdb.d). The app connects as `iop`, which owns its database but is
-- not a superuser; migrations run as this role too.
CREATE ROLE iop LOGIN PASSWORD 'iop' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE iop OWNER iop;

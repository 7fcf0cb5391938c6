-- The data version: one row counting committed changes to the data the
-- pages show, read by every instance to know when its page cache is stale.
-- +goose Up
CREATE TABLE data_versions (id bigserial, n bigint NOT NULL, PRIMARY KEY (id));
INSERT INTO data_versions (id, n) VALUES (1, 1);

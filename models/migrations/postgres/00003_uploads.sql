-- Upload previews, kept in the database so that any instance can show,
-- poll and save one made on another.
-- +goose Up
CREATE TABLE uploads (
    token text NOT NULL,
    kind text NOT NULL,
    session_id bigint NOT NULL,
    user_id bigint NOT NULL,
    year bigint NOT NULL,
    department text,
    file_name text NOT NULL,
    lang text,
    content bytea,
    state text NOT NULL,
    read bigint DEFAULT 0 NOT NULL,
    total bigint DEFAULT 0 NOT NULL,
    result bytea,
    fatal bytea,
    saving boolean DEFAULT false NOT NULL,
    beat timestamp with time zone NOT NULL,
    expires timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL
);
ALTER TABLE ONLY uploads
    ADD CONSTRAINT uploads_pkey PRIMARY KEY (token);
CREATE INDEX idx_upload_owner ON uploads USING btree (kind, session_id);
CREATE INDEX idx_uploads_expires ON uploads USING btree (expires);

-- The schema as it stood before versioned migrations: what GORM's AutoMigrate
-- of the models made on an empty PostgreSQL database (pg_dump --schema-only).
-- +goose Up
CREATE TABLE access_events (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    login text,
    actor_id bigint,
    actor text,
    ip text,
    user_agent text,
    detail text
);
CREATE SEQUENCE access_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE access_events_id_seq OWNED BY access_events.id;
CREATE TABLE api_tokens (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone,
    last_used timestamp with time zone
);
CREATE SEQUENCE api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE api_tokens_id_seq OWNED BY api_tokens.id;
CREATE TABLE commentaries (
    id bigint NOT NULL,
    indicator_id bigint NOT NULL,
    year bigint NOT NULL,
    month bigint NOT NULL,
    analysis text,
    action text,
    updated_by text,
    updated_at timestamp with time zone
);
CREATE SEQUENCE commentaries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE commentaries_id_seq OWNED BY commentaries.id;
CREATE TABLE context_facts (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    label text NOT NULL,
    label_en text,
    value numeric,
    unit text,
    unit_en text,
    sort_order bigint NOT NULL,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE context_facts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE context_facts_id_seq OWNED BY context_facts.id;
CREATE TABLE departments (
    id bigint NOT NULL,
    name text NOT NULL,
    created_by text,
    created_at timestamp with time zone
);
CREATE SEQUENCE departments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE departments_id_seq OWNED BY departments.id;
CREATE TABLE figure_changes (
    id bigint NOT NULL,
    indicator_id bigint NOT NULL,
    year bigint NOT NULL,
    month bigint NOT NULL,
    action text NOT NULL,
    old_value numeric,
    new_value numeric,
    old_status text,
    new_status text,
    old_note text,
    new_note text,
    version bigint,
    who text NOT NULL,
    at timestamp with time zone NOT NULL,
    why text
);
CREATE SEQUENCE figure_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE figure_changes_id_seq OWNED BY figure_changes.id;
CREATE TABLE figures (
    id bigint NOT NULL,
    indicator_id bigint NOT NULL,
    year bigint NOT NULL,
    month bigint NOT NULL,
    value numeric NOT NULL,
    note text,
    status text DEFAULT 'approved'::text NOT NULL,
    version bigint DEFAULT 1 NOT NULL,
    updated_by text,
    updated_at timestamp with time zone,
    approved numeric,
    return_comment text
);
CREATE SEQUENCE figures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE figures_id_seq OWNED BY figures.id;
CREATE TABLE indicators (
    id bigint NOT NULL,
    program_id bigint NOT NULL,
    name text NOT NULL,
    name_en text,
    unit text NOT NULL,
    unit_en text,
    basis text,
    kind text NOT NULL,
    headline boolean,
    sort_order bigint NOT NULL,
    target numeric,
    baseline numeric,
    baseline_year bigint,
    target_note text,
    target_note_en text,
    target_note_unrecorded boolean,
    baseline_provisional boolean,
    copied_from bigint,
    needs_review boolean,
    weight numeric DEFAULT 1 NOT NULL,
    pacing text,
    due_date timestamp with time zone,
    done_date timestamp with time zone,
    milestone_state text,
    milestone_note text,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE indicators_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE indicators_id_seq OWNED BY indicators.id;
CREATE TABLE outcome_results (
    id bigint NOT NULL,
    outcome_id bigint NOT NULL,
    year bigint NOT NULL,
    period text NOT NULL,
    value numeric NOT NULL,
    released timestamp with time zone,
    provisional boolean,
    source text NOT NULL,
    by text,
    at timestamp with time zone
);
CREATE SEQUENCE outcome_results_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE outcome_results_id_seq OWNED BY outcome_results.id;
CREATE TABLE outcomes (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    name_en text,
    unit text NOT NULL,
    unit_en text,
    sort_order bigint NOT NULL,
    target numeric,
    baseline numeric,
    baseline_year bigint,
    needs_review boolean,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE outcomes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE outcomes_id_seq OWNED BY outcomes.id;
CREATE TABLE plan_changes (
    id bigint NOT NULL,
    version_id bigint NOT NULL,
    indicator_id bigint NOT NULL,
    old_target numeric NOT NULL,
    new_target numeric NOT NULL,
    old_pacing text,
    new_pacing text,
    reason text NOT NULL,
    by text,
    at timestamp with time zone
);
CREATE SEQUENCE plan_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE plan_changes_id_seq OWNED BY plan_changes.id;
CREATE TABLE plan_edits (
    id bigint NOT NULL,
    version_id bigint NOT NULL,
    record text NOT NULL,
    record_id bigint NOT NULL,
    field text NOT NULL,
    old text,
    new text,
    reason text NOT NULL,
    by text,
    at timestamp with time zone
);
CREATE SEQUENCE plan_edits_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE plan_edits_id_seq OWNED BY plan_edits.id;
CREATE TABLE plan_versions (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    number bigint NOT NULL,
    published boolean NOT NULL,
    date timestamp with time zone,
    effective bigint DEFAULT 1 NOT NULL,
    published_by text,
    source_ref text,
    created_by text,
    created_at timestamp with time zone
);
CREATE SEQUENCE plan_versions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE plan_versions_id_seq OWNED BY plan_versions.id;
CREATE TABLE plans (
    id bigint NOT NULL,
    year bigint NOT NULL,
    city text NOT NULL,
    city_en text,
    title text NOT NULL,
    title_en text,
    vision text,
    vision_en text,
    demo boolean,
    state text DEFAULT 'published'::text NOT NULL,
    copied_from bigint,
    created_at timestamp with time zone,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE plans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE plans_id_seq OWNED BY plans.id;
CREATE TABLE program_fields (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    name_en text,
    sort_order bigint NOT NULL
);
CREATE SEQUENCE program_fields_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE program_fields_id_seq OWNED BY program_fields.id;
CREATE TABLE programs (
    id bigint NOT NULL,
    task_id bigint NOT NULL,
    name text NOT NULL,
    name_en text,
    department text,
    description text,
    description_en text,
    new boolean,
    sort_order bigint NOT NULL,
    field text,
    groups text,
    classified boolean,
    budget text,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE programs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE programs_id_seq OWNED BY programs.id;
CREATE TABLE results_versions (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    period text NOT NULL,
    number bigint NOT NULL,
    published_at timestamp with time zone NOT NULL,
    published_by text NOT NULL,
    reason text,
    corrections text,
    data text NOT NULL
);
CREATE SEQUENCE results_versions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE results_versions_id_seq OWNED BY results_versions.id;
CREATE TABLE sessions (
    id bigint NOT NULL,
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    created_at timestamp with time zone,
    last_seen_at timestamp with time zone,
    expires_at timestamp with time zone,
    ip text,
    user_agent text
);
CREATE SEQUENCE sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE sessions_id_seq OWNED BY sessions.id;
CREATE TABLE settings (
    key text NOT NULL,
    value text NOT NULL
);
CREATE TABLE setup_tokens (
    id bigint NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamp with time zone,
    used_at timestamp with time zone
);
CREATE SEQUENCE setup_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE setup_tokens_id_seq OWNED BY setup_tokens.id;
CREATE TABLE tasks (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    name_en text,
    sort_order bigint NOT NULL,
    source_quote text,
    source_ref text
);
CREATE SEQUENCE tasks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE tasks_id_seq OWNED BY tasks.id;
CREATE TABLE unlocks (
    id bigint NOT NULL,
    indicator_id bigint NOT NULL,
    year bigint NOT NULL,
    month bigint NOT NULL,
    by text NOT NULL,
    reason text NOT NULL,
    at timestamp with time zone,
    until timestamp with time zone
);
CREATE SEQUENCE unlocks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE unlocks_id_seq OWNED BY unlocks.id;
CREATE TABLE users (
    id bigint NOT NULL,
    login text NOT NULL,
    display_name text NOT NULL,
    department text,
    role text NOT NULL,
    disabled boolean,
    password_hash text NOT NULL,
    must_change_password boolean,
    demo boolean,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);
CREATE SEQUENCE users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE users_id_seq OWNED BY users.id;
CREATE TABLE write_probes (
    id bigint NOT NULL,
    at timestamp with time zone,
    pad bytea
);
CREATE SEQUENCE write_probes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE write_probes_id_seq OWNED BY write_probes.id;
ALTER TABLE ONLY access_events ALTER COLUMN id SET DEFAULT nextval('access_events_id_seq'::regclass);
ALTER TABLE ONLY api_tokens ALTER COLUMN id SET DEFAULT nextval('api_tokens_id_seq'::regclass);
ALTER TABLE ONLY commentaries ALTER COLUMN id SET DEFAULT nextval('commentaries_id_seq'::regclass);
ALTER TABLE ONLY context_facts ALTER COLUMN id SET DEFAULT nextval('context_facts_id_seq'::regclass);
ALTER TABLE ONLY departments ALTER COLUMN id SET DEFAULT nextval('departments_id_seq'::regclass);
ALTER TABLE ONLY figure_changes ALTER COLUMN id SET DEFAULT nextval('figure_changes_id_seq'::regclass);
ALTER TABLE ONLY figures ALTER COLUMN id SET DEFAULT nextval('figures_id_seq'::regclass);
ALTER TABLE ONLY indicators ALTER COLUMN id SET DEFAULT nextval('indicators_id_seq'::regclass);
ALTER TABLE ONLY outcome_results ALTER COLUMN id SET DEFAULT nextval('outcome_results_id_seq'::regclass);
ALTER TABLE ONLY outcomes ALTER COLUMN id SET DEFAULT nextval('outcomes_id_seq'::regclass);
ALTER TABLE ONLY plan_changes ALTER COLUMN id SET DEFAULT nextval('plan_changes_id_seq'::regclass);
ALTER TABLE ONLY plan_edits ALTER COLUMN id SET DEFAULT nextval('plan_edits_id_seq'::regclass);
ALTER TABLE ONLY plan_versions ALTER COLUMN id SET DEFAULT nextval('plan_versions_id_seq'::regclass);
ALTER TABLE ONLY plans ALTER COLUMN id SET DEFAULT nextval('plans_id_seq'::regclass);
ALTER TABLE ONLY program_fields ALTER COLUMN id SET DEFAULT nextval('program_fields_id_seq'::regclass);
ALTER TABLE ONLY programs ALTER COLUMN id SET DEFAULT nextval('programs_id_seq'::regclass);
ALTER TABLE ONLY results_versions ALTER COLUMN id SET DEFAULT nextval('results_versions_id_seq'::regclass);
ALTER TABLE ONLY sessions ALTER COLUMN id SET DEFAULT nextval('sessions_id_seq'::regclass);
ALTER TABLE ONLY setup_tokens ALTER COLUMN id SET DEFAULT nextval('setup_tokens_id_seq'::regclass);
ALTER TABLE ONLY tasks ALTER COLUMN id SET DEFAULT nextval('tasks_id_seq'::regclass);
ALTER TABLE ONLY unlocks ALTER COLUMN id SET DEFAULT nextval('unlocks_id_seq'::regclass);
ALTER TABLE ONLY users ALTER COLUMN id SET DEFAULT nextval('users_id_seq'::regclass);
ALTER TABLE ONLY write_probes ALTER COLUMN id SET DEFAULT nextval('write_probes_id_seq'::regclass);
ALTER TABLE ONLY access_events
    ADD CONSTRAINT access_events_pkey PRIMARY KEY (id);
ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);
ALTER TABLE ONLY commentaries
    ADD CONSTRAINT commentaries_pkey PRIMARY KEY (id);
ALTER TABLE ONLY context_facts
    ADD CONSTRAINT context_facts_pkey PRIMARY KEY (id);
ALTER TABLE ONLY departments
    ADD CONSTRAINT departments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY figure_changes
    ADD CONSTRAINT figure_changes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY figures
    ADD CONSTRAINT figures_pkey PRIMARY KEY (id);
ALTER TABLE ONLY indicators
    ADD CONSTRAINT indicators_pkey PRIMARY KEY (id);
ALTER TABLE ONLY outcome_results
    ADD CONSTRAINT outcome_results_pkey PRIMARY KEY (id);
ALTER TABLE ONLY outcomes
    ADD CONSTRAINT outcomes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY plan_changes
    ADD CONSTRAINT plan_changes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY plan_edits
    ADD CONSTRAINT plan_edits_pkey PRIMARY KEY (id);
ALTER TABLE ONLY plan_versions
    ADD CONSTRAINT plan_versions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);
ALTER TABLE ONLY program_fields
    ADD CONSTRAINT program_fields_pkey PRIMARY KEY (id);
ALTER TABLE ONLY programs
    ADD CONSTRAINT programs_pkey PRIMARY KEY (id);
ALTER TABLE ONLY results_versions
    ADD CONSTRAINT results_versions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);
ALTER TABLE ONLY setup_tokens
    ADD CONSTRAINT setup_tokens_pkey PRIMARY KEY (id);
ALTER TABLE ONLY tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);
ALTER TABLE ONLY unlocks
    ADD CONSTRAINT unlocks_pkey PRIMARY KEY (id);
ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY write_probes
    ADD CONSTRAINT write_probes_pkey PRIMARY KEY (id);
CREATE INDEX idx_access_events_at ON access_events USING btree (at);
CREATE INDEX idx_access_events_ip ON access_events USING btree (ip);
CREATE INDEX idx_access_events_kind ON access_events USING btree (kind);
CREATE INDEX idx_access_events_login ON access_events USING btree (login);
CREATE UNIQUE INDEX idx_api_tokens_token_hash ON api_tokens USING btree (token_hash);
CREATE INDEX idx_api_tokens_user_id ON api_tokens USING btree (user_id);
CREATE UNIQUE INDEX idx_change_indicator ON plan_changes USING btree (version_id, indicator_id);
CREATE INDEX idx_change_period ON figure_changes USING btree (indicator_id, year, month);
CREATE UNIQUE INDEX idx_commentary_period ON commentaries USING btree (indicator_id, year, month);
CREATE INDEX idx_context_facts_plan_id ON context_facts USING btree (plan_id);
CREATE UNIQUE INDEX idx_departments_name ON departments USING btree (name);
CREATE UNIQUE INDEX idx_edit_field ON plan_edits USING btree (version_id, record, record_id, field);
CREATE INDEX idx_figure_changes_at ON figure_changes USING btree (at);
CREATE UNIQUE INDEX idx_figure_period ON figures USING btree (indicator_id, year, month);
CREATE INDEX idx_indicators_copied_from ON indicators USING btree (copied_from);
CREATE INDEX idx_indicators_program_id ON indicators USING btree (program_id);
CREATE UNIQUE INDEX idx_outcome_code ON outcomes USING btree (plan_id, code);
CREATE INDEX idx_outcome_results_outcome_id ON outcome_results USING btree (outcome_id);
CREATE INDEX idx_plan_changes_indicator_id ON plan_changes USING btree (indicator_id);
CREATE UNIQUE INDEX idx_plan_version ON plan_versions USING btree (plan_id, number);
CREATE UNIQUE INDEX idx_plans_year ON plans USING btree (year);
CREATE UNIQUE INDEX idx_program_fields_code ON program_fields USING btree (code);
CREATE UNIQUE INDEX idx_program_fields_name ON program_fields USING btree (name);
CREATE INDEX idx_programs_task_id ON programs USING btree (task_id);
CREATE UNIQUE INDEX idx_results_version ON results_versions USING btree (plan_id, period, number);
CREATE UNIQUE INDEX idx_sessions_token_hash ON sessions USING btree (token_hash);
CREATE INDEX idx_sessions_user_id ON sessions USING btree (user_id);
CREATE UNIQUE INDEX idx_setup_tokens_token_hash ON setup_tokens USING btree (token_hash);
CREATE UNIQUE INDEX idx_task_code ON tasks USING btree (plan_id, code);
CREATE INDEX idx_unlock_period ON unlocks USING btree (indicator_id, year, month);
CREATE UNIQUE INDEX idx_users_login ON users USING btree (login);
ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY figures
    ADD CONSTRAINT fk_indicators_figures FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE CASCADE;
ALTER TABLE ONLY outcome_results
    ADD CONSTRAINT fk_outcomes_results FOREIGN KEY (outcome_id) REFERENCES outcomes(id) ON DELETE CASCADE;
ALTER TABLE ONLY plan_changes
    ADD CONSTRAINT fk_plan_versions_changes FOREIGN KEY (version_id) REFERENCES plan_versions(id) ON DELETE CASCADE;
ALTER TABLE ONLY plan_edits
    ADD CONSTRAINT fk_plan_versions_edits FOREIGN KEY (version_id) REFERENCES plan_versions(id) ON DELETE CASCADE;
ALTER TABLE ONLY context_facts
    ADD CONSTRAINT fk_plans_facts FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE;
ALTER TABLE ONLY outcomes
    ADD CONSTRAINT fk_plans_outcomes FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE;
ALTER TABLE ONLY tasks
    ADD CONSTRAINT fk_plans_tasks FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE;
ALTER TABLE ONLY plan_versions
    ADD CONSTRAINT fk_plans_versions FOREIGN KEY (plan_id) REFERENCES plans(id) ON DELETE CASCADE;
ALTER TABLE ONLY indicators
    ADD CONSTRAINT fk_programs_indicators FOREIGN KEY (program_id) REFERENCES programs(id) ON DELETE CASCADE;
ALTER TABLE ONLY sessions
    ADD CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY programs
    ADD CONSTRAINT fk_tasks_programs FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE;

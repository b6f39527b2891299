-- Accounts, sessions, API tokens, login throttling and the audit log (issue "Accounts, roles…").
-- Only hashes of session ids and API tokens are stored: a copy of the database does not let
-- anyone act as a user. Passwords are argon2id hashes (PHC strings) made by the server.
CREATE TABLE users (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username            text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{1,64}$'),
  password_hash       text NOT NULL,
  role                text NOT NULL CHECK (role IN ('admin', 'planner', 'greening', 'inspector', 'village_officer', 'viewer')),
  -- Names of the villages a village officer answers for; empty for every other role.
  villages            text[] NOT NULL DEFAULT '{}',
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_villages_for_officers CHECK ((role = 'village_officer') = (cardinality(villages) > 0))
);

CREATE TABLE sessions (
  -- sha256 of the cookie value, hex.
  id_hash    text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- sha256 of the token, hex.
  token_hash   text NOT NULL UNIQUE,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed logins per username and client address, kept in the database so that every server
-- process on one PostgreSQL counts the same tries (and a restart does not reset the count).
CREATE TABLE login_failures (
  username text NOT NULL,
  ip       text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (username, ip, at);

-- Who did what, when, with the state before and after. Append-only: the triggers below refuse
-- UPDATE, DELETE and TRUNCATE for everyone, the app included. (The table's owner can still
-- disable a trigger on purpose, e.g. the test suite's reset; that is a deliberate act, not a slip.)
CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  -- The acting user's name (kept as text: the history outlives a renamed or deleted account);
  -- NULL for a failed login by an unknown name, 'cli' for the command line.
  username   text,
  role       text,
  action     text NOT NULL,
  collection text,
  feature_id bigint,
  before     jsonb,
  after      jsonb,
  -- Anything else worth knowing: the client address, an import's counts and id range, …
  details    jsonb
);
CREATE INDEX audit_log_feature ON audit_log (collection, feature_id, id);
CREATE INDEX audit_log_user ON audit_log (username, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Anonymous read-only access to the map (besides PUBLIC_READ=1 in the environment); only an
-- admin may switch it.
INSERT INTO settings (key, value) VALUES ('public_read', 'false');

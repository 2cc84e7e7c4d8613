-- Frozen layanan-device database at schema version 1. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: MIGRATIONS[0] (no commit had VERSION = 1; its 0 -> 1 step is the oldest record of version 1) of commit f3312f06c5a35d7f76bc244b279c9f63b9a79247
-- (Workspace skeleton, sealed device store (profiles, drafts, chunked attachments, wipe), FFI...).
-- Rows: written by layanan-freeze-db built on 631d29b (schema version 4), copied into the
-- columns this version has.

PRAGMA user_version = 1;

CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'wiping')),
    wrapped_key BLOB,
    canary      BLOB,
    details     BLOB
) STRICT;

CREATE TABLE drafts (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id),
    form_id      TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    answers      BLOB NOT NULL
) STRICT;

CREATE INDEX drafts_by_profile ON drafts(profile_id, updated_at);

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('bcadcae0-14c0-4440-baa3-5d4a0c02b8e8', 'Siti', 1796190691410, 'active', X'55ab1ada92531beb34e77343e44f47a45e0f563ede9441e25d5c68e7e41b59eb0eeaf7388c06904a8da8e72035156cd0adf505a9b3d5c076a5cf43a0', X'017912f3eda8d76755192826d485d66b8912822b6171589261fcfac2a03a90e522b67642ef75aedf52b17b168608', X'01f496ab444cee03c3ebce9bb5d3a7806b4056f1b6c5c5e98903e8bbd3fc36d721efce9959d1fecdc5642c5e46a1d03b3d945c434eeed5eee40bcdc9460772750ad736d9d100c930cd8b603593335af50ea5a79cb8f8081e7d95566bf1598e5a950c20da18d44cccf5b5662e4fa70e5efd8b631620300a03bd7021b77f31319ef6d1a532cb11c385836f427ae41d98340f5bbc525ce21fb7ff7af45f1a699ccb28fad2db1b61e1ba8cd36016d0');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('f0834bc8-42ba-491b-822e-b3ff3689e5d2', 'bcadcae0-14c0-4440-baa3-5d4a0c02b8e8', 'akta_kelahiran', '2024061201', 1796190691411, 1796190691411, X'01a1241dfa29de4d1bcb4789616152d470c86202d592669582f8b2c59b389d07c8abe7932a31af38a3c97dc110202efd95f1941e7a524df19e6864a28955b97deb4fc303577582f32e09b5db108589ecb93151397a2c29f3ac7639664f584ffde7436c7ea0d080');

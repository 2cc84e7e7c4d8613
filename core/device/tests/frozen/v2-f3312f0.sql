-- Frozen layanan-device database at schema version 2. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of commit f3312f06c5a35d7f76bc244b279c9f63b9a79247
-- (Workspace skeleton, sealed device store (profiles, drafts, chunked attachments, wipe), FFI...).
-- Rows: written by layanan-freeze-db built on 631d29b (schema version 4), copied into the
-- columns this version has.

PRAGMA user_version = 2;

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

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    draft_id    TEXT REFERENCES drafts(id),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    chunk_size  INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    meta        BLOB NOT NULL
) STRICT;

CREATE INDEX attachments_by_draft ON attachments(profile_id, draft_id);

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('ced0affe-7db5-409a-908f-1a828dd24060', 'Siti', 1796190691424, 'active', X'1f4a36ac3f88da351de4e08a1839a6e449f9da1d9df709e7a9299bc69c97dee724305248742728846297dbf70f6d1c1098f93e64cd36448dfad8a6b0', X'010b9f8c467a76c2c6b8b88738e56677ec21da4bae4fb2353905285fb8b613d4cd45af98a653395e3fd85d125da7', X'011faaebc2a1c6a2d6e94ed70c1fa4580247c88bc020787d43614ded20bc1d2add2d445697ab57749d292a64bd82ae1c5116d6d8d205d96b4fd2625198a304b48119d0356af43986b67b156a5974de11d7bde87c5af4e0a98e0b7f36e7731cd4caa1eea4a78f8c72bc49af660a987aab243342d53d92ad1aa4720ca034bd26b1daabbf513c336faa91b8d234dec2022e3780cc172ad02b97ae02f3843bbed3d10921df7f1030c1dfe733e6c391');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('c4eca43c-5741-4ddf-b404-4a2b2b997e75', 'ced0affe-7db5-409a-908f-1a828dd24060', 'akta_kelahiran', '2024061201', 1796190691424, 1796190691424, X'019bc138a06e8e04f79af7507324c5ff6ba69c23b1c2e3264f15cb53d80dda4cc5aad907847249850810eb7a22f728e692946941ca6d21c4610e849052023f2906e4068027b4f125112fee27caf58fff31ce9a2f1bfa8584470dd65f81253f8a1843c45c1216de');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('9b7f953a-ddc6-4ec9-8f8e-3e9a57dce5f2', 'ced0affe-7db5-409a-908f-1a828dd24060', 'c4eca43c-5741-4ddf-b404-4a2b2b997e75', 'image/jpeg', 27, 65536, 1, 1796190691424, X'01067c37a0cd31f1984bdae455b20dbcf6389e54ceb598d458a8e4503734ce975154473f1192901ed3d4634b50836b5bf698f82d14eb6c4de4de0ebbdd6cbc42428525596b617c4467b27588e099a7b982b311b37aca141b1eecda01c7e8735e01822730fc2a384da506cc9c71a248c1db4d36b913ef0da11d40748eacad3c6fc36dfbe33deb52076def000257e209c2da27df7406f2ab');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('64ea0668-1e33-4e44-88a2-7be83e657b1d', 'ced0affe-7db5-409a-908f-1a828dd24060', NULL, 'image/jpeg', 15, 65536, 1, 1796190691425, X'01d9a0321118f79d4485aa3bc2d4b1294e3b122aff6af442db63e1992480410847f5d37dc2a4d88a10f47205cf3df5d53ce32f7dafe12de3fbe626992a03bd5096501b8e343da136fd5759107021228433068508ad660042a32be0f94af4006fd3a722c0cc0903b1ef0f3c3aff51cd286aae260342a9c7283dde681f0ff323c6f7191ed003cdb6bc996e51');

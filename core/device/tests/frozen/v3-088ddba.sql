-- Frozen layanan-device database at schema version 3. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of commit 088ddbab543e1aa0612e0e20ff194cb4a9d7372a
-- (Outbox: schema v3, finalize a draft with its attachments in one transaction, state machine...).
-- Rows: written by layanan-freeze-db built on 631d29b (schema version 4), copied into the
-- columns this version has.

PRAGMA user_version = 3;

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

CREATE TABLE outbox (
    instance_id     TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL REFERENCES profiles(id),
    seq             INTEGER NOT NULL,
    form_id         TEXT NOT NULL,
    form_version    TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    error_code      TEXT,
    agency_state    TEXT,
    submission      BLOB NOT NULL,
    error           BLOB,
    receipt         BLOB
) STRICT;

CREATE INDEX outbox_by_state ON outbox(profile_id, state, next_attempt_at);

CREATE TABLE outbox_attachments (
    instance_id   TEXT NOT NULL REFERENCES outbox(instance_id),
    attachment_id TEXT NOT NULL REFERENCES attachments(id),
    upload_id     TEXT,
    uploaded      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (instance_id, attachment_id)
) STRICT;

CREATE TABLE sync_accounts (
    profile_id    TEXT PRIMARY KEY REFERENCES profiles(id),
    server_url    TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    session       BLOB,
    status_cursor BLOB
) STRICT;

CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    instance_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0,
    note        BLOB
) STRICT;

CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('a2c8472b-9184-45ab-a56a-150c4f1ef37a', 'Siti', 1796190691437, 'active', X'ff2adab4968eaf3fcd3d7c3cf5dee116a4aa91f5fbc61d597ceaf58245ebca3dabf3c17fce107643f467cd788bf63168140e06f102b67c852dd90fb7', X'01fb956303ff89ed9217ff968c513e31411808364ee21cd376af9c3979bc97841e64209a24010689c62d15034b75', X'01ffa481637332a0a0bb3810f284f0d2d11afcf4f03d2df0f4979f24412056ad12477c764b196ebc141b6566124e5266e36d28bb584ed8d4d650e44ea7dd95c79112e0d54aef895766b44430bbf8544cb96cf3466a5aa1120ed71e800372b0f37d880207fea8f4a4584403d45597822952623c1e744fe12ccabd93799bceb5ba6d20433d35fb7ed22659e1ceaffdd7b544ba16ba5bc4f2778f7211c798341ce46f2d7bbdb35a57c3e010cf2b50');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('076f7425-bda4-4430-94cc-1d85bde001f6', 'a2c8472b-9184-45ab-a56a-150c4f1ef37a', 'akta_kelahiran', '2024061201', 1796190691437, 1796190691437, X'01318f0e1649cd427f1afbcf1713617f69c9de401915030ee7e30a28831fd16b907cfea30ac6ddd8cf10c0d856e98044fe57de9f66921598665c5b0d3cb8b4ee2266319b1e00d3c811c548eb8a4ef1054bf35cb029d46b9089bffa28625a25dca653bb7d0fe4c5');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('9b46fb00-49a7-4659-94de-f275bae2eaeb', 'a2c8472b-9184-45ab-a56a-150c4f1ef37a', '076f7425-bda4-4430-94cc-1d85bde001f6', 'image/jpeg', 27, 65536, 1, 1796190691438, X'017283baaf16f4a781e808733473eeaef9f76e62ce73598d9d1402d68747169e191317a183a0fcb2f2e9e951c1aee887f35f1c620ca440d57a850322a639585e71ae03cc8bd9e7065df1367cd1e9a46e2c5b7f98e78af1c98574d232164e2b38919acc12c0d535109e0138559b95f383c8345fbc2d29b407112e2361bc05943f11563456958eaf140054876ab8d56d8e1360be3a92aa62');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('084cef15-efab-481e-9bed-ad2867d1af86', 'a2c8472b-9184-45ab-a56a-150c4f1ef37a', NULL, 'image/jpeg', 15, 65536, 1, 1796190691438, X'0159d4fbe2a4854ca12644703c21c3121b38284532e446fe444b61b2aecf00f041aa78f3a89e0d53b4558fac30dd98741ef76d8fed0c1e80809f0ee2ff0f0eb3abb53cee4caba8efcc72f35520c48eaff46ae070d3c7ead24e8d718b49738c41d6f299d1b9872cbbf3829c0e0e0653960e4aa4428e2b13e50af1d808a0a513233591b8848c6b6ab580202b');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:0255a019-6641-477f-9834-5ff2845ad7e1', 'a2c8472b-9184-45ab-a56a-150c4f1ef37a', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 1796190691438, 1796190691438, NULL, NULL, X'01697244b44a248fe89297297520286bb84afd6cf75638cc422d8fbc85f2bd5b6daff8feb44ef1b092a5e3cab75a5b662a2d9bc8de578ee97d75fb9e637eb7a19ad70b9497630fb8e764f0c5c63e5252c6b042b2c9091110abdaaafcebf9449a5f3351089b6324272dc446b9c97eaa294f8a784eae1457bb950f80c17e044bb8bb8d87c4524abaae2ee223852224abf893ef32a0a50b16655f961da8d21bf4856be1dd498fa926007495f2aff5502f380a1064c2e09f333a0ef97d219802cf6a6b00f80217919f411a82cda815325dd44521ff411d2f09c18a959b9e03b83a54320190967fbf62befd66097743e38251425ca4883e486a5a552027', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:0255a019-6641-477f-9834-5ff2845ad7e1', '084cef15-efab-481e-9bed-ad2867d1af86', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('a2c8472b-9184-45ab-a56a-150c4f1ef37a', 'https://layanan.example.go.id', 1796190691438, X'012c490588668d3ee839569307299363e052f455ccdae53500a2d34b1aa4babfe4cca9a1cbb2455bf0fab4513f11f6ec2e5cba4741a61bf5647532bb5a588bb91d4f12d606b32bb06b38a3f07542a2eca7f7eb218b387bfafb0d48025689189d33b5efff1eac0ac29f96f4878787e567d5da66a5427dc4c8591fa59e9e41ddad46fe127839002d5acf16f4d121999a74c3271f51dfd5d34fd13815a64479fff6e0663dab5113411558e924d7fb41ed9c4491dcfa04c714433e67e4dc660905fe1f958999a2e8f3c58a4bb5', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, 'a2c8472b-9184-45ab-a56a-150c4f1ef37a', 'uuid:0255a019-6641-477f-9834-5ff2845ad7e1', 'received', 1764300000000, 0, NULL);

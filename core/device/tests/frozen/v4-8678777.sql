-- Frozen layanan-device database at schema version 4. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE (the released v3 step and v4 CREATE edited in place: outbox gained backoff_level) of commit 8678777f8660fa81b69ebfab3b667a2618214f70
-- (Sync: backoff grows only with failures that made no progress; an attempt that moved an upl...).
-- Rows: written by layanan-freeze-db built on 631d29b (schema version 4), copied into the
-- columns this version has.

PRAGMA user_version = 4;

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
    backoff_level   INTEGER NOT NULL DEFAULT 0,
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
    note        BLOB,
    UNIQUE (profile_id, instance_id, state, at_ms)
) STRICT;

CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);

CREATE TABLE forms (
    form_id       TEXT PRIMARY KEY,
    version       TEXT NOT NULL,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL,
    downloaded_at INTEGER NOT NULL,
    xml           BLOB NOT NULL
) STRICT;

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', 'Siti', 1796190691477, 'active', X'ca427410f93621349e334d58897589d4814e1fa47d9eb27c990082506073949d4552bd99e7d0a71869dfb3e8a4664248d4b470f37e0af7ed4b7b9929', X'015272e35487ef54e44dc524bf718895324afd9ebccf0a01ccdadfab0765e8ff1360fb64aca95500bddbb0f9ac0d', X'01db02a36e74a72ab189808112558b033ad5e68af0693126e1adee1f8b38d50eed7a7c807b1d1abc65577be73b27509b69a398e7b61228b27d739cafdf504fa85af22c6b83bb6edf433885a03d0cc583c881eb213b5b86b8a117ade9eb6e46c411506a250917a9ce43588a215acb122805f528f46a3afac24cc9f33395bc9d9b28398d2b52407678808a0520d34f87424aff2602af6a98ccae66bbd71d6fa3f1161e195ebf0e46ec01c0e6d771');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('8b779bec-11ce-4c6d-bc66-29113e40a388', 'eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', 'akta_kelahiran', '2024061201', 1796190691477, 1796190691477, X'0199fee987b9e0616f5fe27ec82f2d93ff91893c835ee7ef88abebe34f9bc5915a979d4f002a3dc8db365b8d18257f0e77e0375ff99ac9d438fce42294ab04bcf921eaf1d3a19b468814e5eb06d60d9c3142706e0f8c1a16203c8efb0f443249859e885d64225e');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('e91f7ab0-b5b1-4778-9d1d-b2dfd51e2fa4', 'eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', '8b779bec-11ce-4c6d-bc66-29113e40a388', 'image/jpeg', 27, 65536, 1, 1796190691477, X'0136ab02799f92dccd5ed0c2ac27107fbb19e54a1685f527200e56354fd3be9912ac3e2d8331ad9562171cccbd8e5918ec8ae8ba6cbf50671255dce4fd4f9f616ad63c63970a3f77254b80756aa99a0cab6cdcc31fb5753ebae22597f4e55b39da3e994d9eb9c5f72791b02bb0d8ef76d6c9f079e7e4fde9880deba12c221032d221a9e56ea9a0bf4f1b9dcc4f30bf320451780430efae');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('0ce0e2b4-55d7-427e-9460-5423b9ac998a', 'eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', NULL, 'image/jpeg', 15, 65536, 1, 1796190691478, X'012c14f0dd0dbd97c0c0c62acd260d8ec156c229847ff04c1db2c6c4677cceff37837070012260a2f09387223752231519277aae1c26b3cb504b19e717318ba32519ed8e23263cefb0823722df9183900c203cc82c9fb2dc8cadbf172c7936ee6bc0e3ede2408ff3aaa2a2badcb316b791108cb15145b753efd6f30e4ba8a68720e158124a574b26f6de07');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, backoff_level, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:b2d15422-a845-4b75-b620-e9203b0d1bbb', 'eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 0, 1796190691478, 1796190691478, NULL, NULL, X'018454c7f0e63c84e46199ec4ca7de381b1495f8ce594c1c3e0be12b4ba8053045e87c80f130c4efc1553d9bdf9004e805266ceaaee55e83ab54ca95130d04910efa0d0b2f23a349af85ecd58cbc4e59a4ae59ef6b68d149ac40b15184ab139f4054c48a7b08d1b8b7cdb2bf930be25df9c555c7efa258d12debd3f96bfb357504c6b8e36a9a88bce5ea7f15bb64a6d7d105e1be8a22dce0d97fc64899ec9208039e092fcf8d9c10ff15dba1f2c2078cd5397e0f1c9ebb7dc3c9f81438df8ad5da39e83b591cdc0ad11f155aa138384f339640d9c52f27fe5a7ba2721012b191b91ff83c5ac473d9aa86bd7a239fc51e9727414ed7d1c57eb8a0fd', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:b2d15422-a845-4b75-b620-e9203b0d1bbb', '0ce0e2b4-55d7-427e-9460-5423b9ac998a', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', 'https://layanan.example.go.id', 1796190691478, X'01c6369f8a7e10b4d445581bd77cbbd4ddb331a3b4efa16b1f18d3f16213bd8812851f38da0811aa612deaaac03f8560001e6616ef7e036afc2999cf26922f03ea01ee1bf8d14614291d393389c468e0888d798b84a0bea60b71a1f503e2955514f4776750cbf171997f01e51d40415c2718c0d3ea2640e50233cb9f0fb40c03a7b29814296280ecf9e93087ae377def7977505b83e2f7b87b4e90bd195a3ebf499f7a9950523dfcd47a696f0f93c5d5db8d67c00160f982d4546bd41628dc35db3d3bca64dc1a08eef99a', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, 'eacf1069-64f0-4d05-9c49-a8bd92aeeb4b', 'uuid:b2d15422-a845-4b75-b620-e9203b0d1bbb', 'received', 1764300000000, 0, NULL);
INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml) VALUES ('pengaduan', '2024070101', 'Pengaduan Masyarakat', 'md5:0123456789abcdef0123456789abcdef', 1796190691478, X'3c683a68746d6c20786d6c6e733d22687474703a2f2f7777772e77332e6f72672f323030322f78666f726d732220786d6c6e733a683d22687474703a2f2f7777772e77332e6f72672f313939392f7868746d6c223e3c683a686561643e3c683a7469746c653e50656e67616475616e204d6173796172616b61743c2f683a7469746c653e3c2f683a686561643e3c683a626f64792f3e3c2f683a68746d6c3e');

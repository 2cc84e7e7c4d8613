-- Frozen layanan-device database at schema version 3. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE (the released v3 step edited in place: status_events gained UNIQUE) of commit 7b86b72e2abc6b28ffa7e8d32a4e677d9a85c909
-- (Sync engine: resumable chunked uploads from the sealed store, zstd OpenRosa submission, re...).
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
    note        BLOB,
    UNIQUE (profile_id, instance_id, state, at_ms)
) STRICT;

CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('7c18e380-8ab2-4785-bdab-a54273c2e852', 'Siti', 1796190691450, 'active', X'6ac2f9a9d66ee4618986710a983d4be85aa0b245a212f5dd0606adaa38b00b674873dabb53b84925df40e44722d35e4e0aab5ea807d1dcd94cecd3c7', X'01eb661ad1e099fddd86187db85117f190b3e04facbff1e103575d4a0d97fd8b03438151e494d15269327c6c6e39', X'012b94dcf3fb58a1637bc1fd420af6f8a9e0c3caf1e22fa1e2cbb28e16d35e50cd8277d530446b0ad42de27690d9965999aec9293711805d3bbd0f638e9bb9a5ba95ce2b7aa17662f1e45533ab7c849f9eb13981c3d0b11a4fc51e95aacf7eaa3baf2198990d3bd869581efd49361652815af8685d248e563606d1c21effa4f717beed6d536ae809956c6ebe28cc4f1fe67cff39c6d167df213285ae2eb316ac592d3fba2e213c79ad1233de51');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('8f269600-8b1c-40b8-b90c-81fc43b72f94', '7c18e380-8ab2-4785-bdab-a54273c2e852', 'akta_kelahiran', '2024061201', 1796190691450, 1796190691450, X'01a0c1073f3edbaedbaa3b7315ad140210246c08ba96c434717a7f67c7910b6734b666ddc9b8a0916aace5be41ab5e803789d0a428bd881b69509a0d59b54dd0c05014ea93ef6cf55c133c99ca339bfb44f72d91cb5b116e4a0deac603c129e9230dee7815c6eb');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('4ed862b2-fc18-4e88-b988-e906506e990d', '7c18e380-8ab2-4785-bdab-a54273c2e852', '8f269600-8b1c-40b8-b90c-81fc43b72f94', 'image/jpeg', 27, 65536, 1, 1796190691451, X'0140a47979be6464d68b29622d48efbffa3eee85de3217905e64bb2cc90100e2a4b97e39c49dbb03b20215b00d2987c82b91d2a45e410a89693e01785eb5efbe8c00fc59986e3be1e86838d781da36608854ccfd5064d4317b169f9dd42ddf7bdd93dbb81c1b148a13db3b229d0d1be7a5c11b5acc867867543e86395188333ff994882883d6519a1cc85a7c744562956d1ef539a8cdd4');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('339fe1db-cab1-4b49-8766-3f43c29bd45a', '7c18e380-8ab2-4785-bdab-a54273c2e852', NULL, 'image/jpeg', 15, 65536, 1, 1796190691451, X'0186c2e2ea6612cf4cebf41972417d21530bb77e4586b1189bf532360f3dfab0295a46a63758e778fa3bca494ac5de17f498d35f66f8675bd2792f7e5b4a7ef8e28dc980b87d91e9cad37718fe88d5d06574a87d7e6abd54b6d69e3df856cf79e14815c98429acb110e3449dcd69032469032b59dd9aa49d9f8a465d03433d2712debcf76b32ba9aca5d16');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:a1caa5ea-9995-4a5e-b554-8c8ec034ba46', '7c18e380-8ab2-4785-bdab-a54273c2e852', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 1796190691452, 1796190691452, NULL, NULL, X'01448a3718d1e0249bb827b4ef28ff89ee8ade9b27f8fef305627c6a00a1f811cd1fe0bf087d5481277c00a76c680259c643e7917a4ebedad2292a1bcb9171d61f0968956fd09328e0fee0f4e4cca57d81bd8a423fce36d1ddba1e8c454d3bec493b8764f8dfdba25e9baec734b7dc015c054c263d278eadeb4ef640181668c4228ba7d1bf784550ff1bf4aff97432824c7a060873098974d46c16fe819ff83092acbb3da5fece801f4ef4176ed26e8f2ec95429a9158aa5786350c8ba23752ab165eb225088dc2515b25b8f0109fd6ed80d87e3d7c5e428c72572d0dc7c43e331dc54f747c0c884bb31b6ee66a176b5ff7417e4786035cfd3812b', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:a1caa5ea-9995-4a5e-b554-8c8ec034ba46', '339fe1db-cab1-4b49-8766-3f43c29bd45a', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('7c18e380-8ab2-4785-bdab-a54273c2e852', 'https://layanan.example.go.id', 1796190691452, X'01af8c3e1e5bf1d2cbda3ed10ba41853211dff41c7d7fcce2de6d4ef1675f45307fce517b9280c15c550f6c6f350303317fe6603425afeda91ff9ee6536eb4c85dc567c96bbc45c40ec4a74908f9a7b8dca142c1efd80d84dbc933a37f210fc88fdc7adac7c5f35b4eb416bda3874169763a8c9b04cecc7779dc3b74dc9b1d534bd2bd3c41879de9964240cf59cd1c2578f378b20ea3c7deebc91836bc2911aa6bbb11f3252800399056802cef3e18770f7d5fe1d1cbacde8bd38d008da32b2f6dcb981fd635c5b4166395', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, '7c18e380-8ab2-4785-bdab-a54273c2e852', 'uuid:a1caa5ea-9995-4a5e-b554-8c8ec034ba46', 'received', 1764300000000, 0, NULL);

-- Frozen layanan-device database at schema version 6. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of the commit that adds store_meta (schema v6, store integrity), whose parent is f89c79d; frozen in that same commit.

PRAGMA user_version = 6;

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

CREATE TABLE sync_settings (
    profile_id  TEXT PRIMARY KEY REFERENCES profiles(id),
    wifi_only   INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE store_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   BLOB NOT NULL,
    generation INTEGER NOT NULL
) STRICT;

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('d61bc98e-a40c-4302-bb4f-c54d6983b457', 'Siti', 1796193762781, 'active', X'bc7903deca8177f7f919af4bf26bd3a94df0d702700d2a98982e7cdf06e76e6dda6bca417f4ba38be50da951aca65e558c7aa9577a48fb5bb1e6d573', X'011dc1175a2b7ac7088acfe2c6fd93844c120dac1b4d438dee9de081e035a32c632cbb78b14acc186b926b6f9317', X'01f72662786c7f25fae68363fb7ea1b72c49e4d02d79aff28c27c42b469b154284c36bedcc5d8fe0bb10c3f443c0ca7d0855a8299d711cb4ccf2b096d700b9311f1fd5368eb08da7b6a9629e59795befc108b6b4d11d11932164fa6f61bc7d5de09bcf4d0a1456d7baf8395d69c4477716e61b90a84bcf0522d575c0f9005b8d463b882d24ca9a001185450608d2ad1fc027f16c5121ef7560dc4d2b835731063caf128ad84140dee8b67b8e8a');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('651c4487-ad00-4bf2-8b6a-3af60413cba8', 'd61bc98e-a40c-4302-bb4f-c54d6983b457', 'akta_kelahiran', '2024061201', 1796193762792, 1796193762792, X'011d1772f82fd8286f8da5769681d0d6c3c0685834aa21b36206f87f7cd07f019a920781a925bc6248e8acf7d0f7f9296a4c501b0715e5d30ce4a8891654a1870ad5eb02ddf9341a70866663cf5f3e4765fd90ebc11facee29a97a94ef54c8c98c17a4c7659947');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('2ed254e7-9ee5-4e1f-8131-7ed42a174302', 'd61bc98e-a40c-4302-bb4f-c54d6983b457', '651c4487-ad00-4bf2-8b6a-3af60413cba8', 'image/jpeg', 27, 65536, 1, 1796193762800, X'0192135761d26f7281f78bb2b5fe7fa1f9eb839e5052e7e16983048eeb1085bb2171dfc44eccd4f3066af2d54a994d3d371ed2fe44738b9272a2838bc380e8a91f57b484a0a96041cc63bd5214dcf3c1257e8f0bfa987905cf6bd0da3a9b1a82e66c4f7589b95e6c40d8ce5b1c0506843aceb72b61e2103787a7ba44c57816f7203b8311c492ea353b5d765c1138feeb229d77e9940b1d');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('a7517099-8c7d-493a-a8ef-9957c8db3fb6', 'd61bc98e-a40c-4302-bb4f-c54d6983b457', NULL, 'image/jpeg', 15, 65536, 1, 1796193762804, X'01eaf51bc14d923f4f3003902f69224ec8d2ffc107b95485b2145d68e34e7b5052897f1373452ede1ef456b91cef2f79ca3c0421cc4007d0d9147a89861264631c5218fed22aebeca926c41a7b00c9d965f53f324bba81f4e6fc5da3b5473b26b65a350f9d3fde4adf3e47aec1a715f48d629326beb07b2889220bebb36c0a3439415080ee12153f304314');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, backoff_level, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:6793cb9c-8eaa-42b3-9aed-49d40e58840e', 'd61bc98e-a40c-4302-bb4f-c54d6983b457', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 0, 1796193762804, 1796193762804, NULL, NULL, X'01151a7793a6762057a98907d4130260ec439e27cc8ca656cd273f0b50817619cdc2bc72b4ff1865913b078fd2d680fdcc5fb352e97f61d7ca10d0e77d207eb4782096f8cb766f870c048707d73a40f4af23ef89f636ca31fe738713d08b33043fda27b3b7dee9a4fa8e4619ecf9036929956e0b445e95ffa5a93fb759af5d0333b19b7679481899d8b084100605d02360498a4b46e9ab3680fea56d85a1171f716fd3e877b7ba08667d0ebd244ded13cb15f02213d033e94d49c8b19318752715874297a0f5756e0d5734caa25dbdebb95a3d5e08d827df094da530e1c5e7a5cd383a026ebf4842ce7d98d49ec039374fc5244cb985510e994ed0', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:6793cb9c-8eaa-42b3-9aed-49d40e58840e', 'a7517099-8c7d-493a-a8ef-9957c8db3fb6', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('d61bc98e-a40c-4302-bb4f-c54d6983b457', 'https://layanan.example.go.id', 1796193762819, X'012356d226aa27a277345f1fbe65596c9e0b1d53dc24f34790d3a949bccef1b9e68cc94ae5186de7b5d2be9c823df5a759cb6a03a63d92858d7d34144be115694b463490663a5eef1e643d1e3a698ae44bf8f9c7cb4078b05d4a398124d509cab880a49e2a8a06039e065cf9265e10c25038e529f1ef224aaa9e1ad3d7540ca21a8497fb7993f78c4bac97b4bd7fcd0de44009d826dd072570f2e5b0c71a1410432224cb27d902818cd3a6de5eae5d56bc15f511c03bc1892207a4e83457de609de747e1fa1bd90d42f22d', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, 'd61bc98e-a40c-4302-bb4f-c54d6983b457', 'uuid:6793cb9c-8eaa-42b3-9aed-49d40e58840e', 'received', 1764300000000, 0, NULL);
INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml) VALUES ('pengaduan', '2024070101', 'Pengaduan Masyarakat', 'md5:0123456789abcdef0123456789abcdef', 1796193762824, X'3c683a68746d6c20786d6c6e733d22687474703a2f2f7777772e77332e6f72672f323030322f78666f726d732220786d6c6e733a683d22687474703a2f2f7777772e77332e6f72672f313939392f7868746d6c223e3c683a686561643e3c683a7469746c653e50656e67616475616e204d6173796172616b61743c2f683a7469746c653e3c2f683a686561643e3c683a626f64792f3e3c2f683a68746d6c3e');
INSERT INTO store_meta (id, store_id, generation) VALUES (1, X'5bc26cafacc4ae011fe2c04cc9840831', 0);

-- Frozen layanan-device database at schema version 4. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of commit 7b0c2049855d5e54465042d704cf6b7bf628f253
-- (Forms kept offline: schema v4 forms table, OpenRosa formList refresh downloading only chan...).
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

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('23a3015a-641b-41b2-ae71-20585b433d3a', 'Siti', 1796190691463, 'active', X'bede531308b17179c42b16513228040966350189ebb2eef9b61c6ac0bcc4d621cc368dc5ea03f01254538b4386fbfac8a2ad5e0565242688592e8680', X'016454a9822f0cd8f43694edcc58d5337ffe4768e96a2e826fdcf485075d21ff6e43704e82f377a950e2cf543897', X'013875b14cfd378a3d244955deeec22be0ebeaf8c3f2bb600617a4cb316b58ec9773339ffa9c699efa5035dc8cb99cbaeac7e7f29c23a298c4d2d70ec1d991cc2e4af75171df01c36274b976be2fdc1b33966f38847785cf461db45558347b8c955247e143e78a3f9f2ce9c56470c7546c9b32401bddc26a6bf4629acd1c51f1e63de78d1015dd3b6607678d7043aca41ab80461b9360bbb89a08d883bffce0a3b9bbd851a76f95a27b31d0bd1');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('0f24b60c-9cd1-412f-a0ee-98127c0360f3', '23a3015a-641b-41b2-ae71-20585b433d3a', 'akta_kelahiran', '2024061201', 1796190691463, 1796190691463, X'01f7cb1422035ef326befa01c558336878429221dcefb6a309336c61c29b847e4a5ff6ebf191e37d8fef0c62aa66b9097f4c0dcfbce9237a61614411ea471c51ce6329de84bb18aa4b8820fe86b694b6b96fcb652dcd46c96dd4b2e18686de8971544d0852b63c');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('9b4088ea-c0ed-4055-912c-69eb654040d4', '23a3015a-641b-41b2-ae71-20585b433d3a', '0f24b60c-9cd1-412f-a0ee-98127c0360f3', 'image/jpeg', 27, 65536, 1, 1796190691464, X'013d598368b9d9709fd40b349d47c81731cfd40615834ed36264f438c0c5dfaaeaa48942b0eb890cda3cacb0d7eda3512765badb1724b330d19f0dabd537675650f464580df5336a2f3044dee43ddda41c900c2093ce1e204942a8617a4fa7a973fd1bbac19b726208f57d7271c80f4817d36138239afa49f81237551060b6217a3b967bfb498e41fbb0b0b6c752f1a1aa220336066425');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('46549a45-841f-4205-8492-25d0e8eccc95', '23a3015a-641b-41b2-ae71-20585b433d3a', NULL, 'image/jpeg', 15, 65536, 1, 1796190691464, X'014fb6fe24b553a512a336ecb5fe0e4721b33a361cdb1002946379f1f43d37a8ba1aa17267e254d27c8647bf1c19e1e4a8d45fafa8d9228253485b52a919100abe902f2481ccbf1ca63935935629319f82c2d4298c0f91e68741e56b3ac58c98591ef38fa24960d4f00266befb7700698659e08a6869eeed82f6ee26062d0cf6d4b48fb3fa77569d7ffb06');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:97a9e7e7-680b-4f4e-a8f5-b84e7aae915c', '23a3015a-641b-41b2-ae71-20585b433d3a', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 1796190691464, 1796190691464, NULL, NULL, X'013b5de05ce763132dd324151a101b6a2bd1e886508e178d04aac059997488a74275e21cc389f11cc77e86b37ee5dffc0cf6cb3ac95a43634830b44815d18d05b750b5c1fa909b19d1aad3ca2027042dea2dd047fa571a87b11756b028db3653f3ac3eff0d9f40904490f3a7032d7b2a3ed28da74aee76852f9e101083fbc9e6567f7330a50fc83aa3aea97a2950cd5e7e93e4b007a1c4bfb9924bfe99cd24c4a20319e4be9d506ff07d895d1061a5a771ede3fe3e156c1c5384466c7e6a1eb8ad1469cf9f9b277f5d48c4ac2c1e9cb7192527f0d1871130aabd4e71b8f9728fdadfacd74c1ec4e052feaf8bd774bb91bd381ca8af10637df3f9d5', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:97a9e7e7-680b-4f4e-a8f5-b84e7aae915c', '46549a45-841f-4205-8492-25d0e8eccc95', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('23a3015a-641b-41b2-ae71-20585b433d3a', 'https://layanan.example.go.id', 1796190691465, X'018a5b9ce29a15e01bc596c31c348b7ddc1b9bae0a9eee83c82f05c9d5e2e4f1b0f8ec7506cbb649af1ca19a4e3911a68f22bb683d0426e5e979246b015e24f650a4018d40642c75140a1b07d2fb740cf957aacc5a1728f116e68fa7ee7d363897d0f78d8c86259dc57fc928e6464ac8285a0761b2c5a260ef2d9a29522a690396d22b1c77ae1c9fa06e74dec438aa6121f9dac27433e4d1927e28a7c91ce828ed84def55270c783a9608bfd0d565ae30b1a5346bd3e5fa345084b14e2c6665064f94aacae3f1b21bcc984', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, '23a3015a-641b-41b2-ae71-20585b433d3a', 'uuid:97a9e7e7-680b-4f4e-a8f5-b84e7aae915c', 'received', 1764300000000, 0, NULL);
INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml) VALUES ('pengaduan', '2024070101', 'Pengaduan Masyarakat', 'md5:0123456789abcdef0123456789abcdef', 1796190691465, X'3c683a68746d6c20786d6c6e733d22687474703a2f2f7777772e77332e6f72672f323030322f78666f726d732220786d6c6e733a683d22687474703a2f2f7777772e77332e6f72672f313939392f7868746d6c223e3c683a686561643e3c683a7469746c653e50656e67616475616e204d6173796172616b61743c2f683a7469746c653e3c2f683a686561643e3c683a626f64792f3e3c2f683a68746d6c3e');

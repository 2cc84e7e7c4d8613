-- Frozen layanan-device database at schema version 5. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of the working tree on top of commit d1aec47570a951c01f817348defdbccca7a5e893 (schema v5: sync_settings, and outbox/status_events rebuilt in today's shape); frozen in the commit that introduces v5.

PRAGMA user_version = 5;

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

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('61b02929-c8e2-4f1d-8750-71017dd6544a', 'Siti', 1796191125577, 'active', X'cbc4dbc23e9d78625afefa090f731b0dd7c1455eefc3cb210680e19094ec274af7e83b916d65e10078fd97331fecede0fb57f7bc3b5c009df34d8a7c', X'015cdd0ab2b51b570a162f47fa1c8dcf4401648345a268cf191f4cfea99e513969df96cc81487b04594ffeaa6488', X'01fe376706a1850f6a103309d7498a82ae3e64f8e48df3298aaa2851297d87f32b6ae563f4ed22d8e5911111dfc79abce3fda378bdb2d4c6ac2873f97b4029fe171af2696b715348a870b3c749440b8e70cf94ed680873238543a1d80c69df37c28fad85c1491f5061e2f4dcd9df4ef16351b95da891e9f0e7fbf6437bc7638d408f148f9a1959bc9c8a462e29be73584ef9432625a905b4e6381b401f9bbde6066ca7a02294c2f56ca964e4eb');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers) VALUES ('950fc6d3-a5b9-4121-868a-bef1557d9ecc', '61b02929-c8e2-4f1d-8750-71017dd6544a', 'akta_kelahiran', '2024061201', 1796191125577, 1796191125577, X'014f35454156d7b2c9cec95d38846008b71a9aee29034446994b2fe47e1002f8bb87632b92294e25e715c91773f5d3bdd017ffc2223825d4966ffea1e536ea5ee073c6107f7fb56257f8d7059f65b97431901e87ee693ddf4f70337902b08242163cd8e5ffa5ed');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('47431b7e-5883-4613-bd4b-6ea14719ccda', '61b02929-c8e2-4f1d-8750-71017dd6544a', '950fc6d3-a5b9-4121-868a-bef1557d9ecc', 'image/jpeg', 27, 65536, 1, 1796191125578, X'015bcec5520e0553f427a1a462a44266145ab121adbca84e8376d366f940646f43c4ce98e9169d0b6ff8c59ffa20bd6bb9413c4d0bf1dfa178a36820c3d48e4574b87d87cdda3aa1abf8ab2921fd28f602d8a1958cb7760e2d9495bbdd4e3d13e1ce9b5fe10fc214fbf1f471c02aa36ff1c7da1c9a2b3ae3936a5821c40558d63b77733fba49b922b2394488eff4f15106173365ce7d78');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('61a496ff-92c8-4659-a16a-e3aee9e3153e', '61b02929-c8e2-4f1d-8750-71017dd6544a', NULL, 'image/jpeg', 15, 65536, 1, 1796191125578, X'01c926ead5665f19b640103ac2fbeaf4d41cdb75bddbff7b1d1fee7a317d90dfd2ece46455c5b70b1ab19ccd4d40dd7ee01f5932719599e7ae531589bb930eab07a048c353dbbcec4586cc4f094582e882ac5299a84b1864024f21cc527da1b04b5f4d6e66ae1f169a2c997e81d3d3bd74729f8a33310534f92b41bd0d948be402cbba24a5c06f417e13d6');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, backoff_level, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:1d23bce1-6555-4d4d-9e0c-94c376dadd3f', '61b02929-c8e2-4f1d-8750-71017dd6544a', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 0, 1796191125578, 1796191125578, NULL, NULL, X'0195db2e748e509815fa2303ccd690541628e8fe6ec1804b3f0da1716f415251bdad8d115e819f39b14b2822fd162979516572c1847f2348653690dcdba18d20d9de6ba07416ba13ac1a7e46c064e4954fe6d8992da243bce0d4738326d3069ea2dc4b4ab9cec11af4b033c81af45a352d908cc4bdd7b66cd7ca7196747f104b8c632e81f7948f7e643477a971fd43a8897319a51f2e66557edc313cd1352d0ee3c4cb1eb1069847cd349aa4006023392319a1edaeef245679e05f2e96e88fedcbb47ded2c9a20b66ec09fc37f07ce9ad791945a66c83857501b5194e4f5ae4cde6f52ad8cad85186ed03ed1b5ea36f7a2265142acd4923b6a90f1', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:1d23bce1-6555-4d4d-9e0c-94c376dadd3f', '61a496ff-92c8-4659-a16a-e3aee9e3153e', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('61b02929-c8e2-4f1d-8750-71017dd6544a', 'https://layanan.example.go.id', 1796191125579, X'0193b6461bf523cf1e4b46f7bc23811aed66c2bd9e21c7b331eff1378d1af2da018b5a38bcab76626cc240ddca5aea3cf69e189b35eb2afb5d9dedc98e53fe1c4229ccd1bde3aabc38ecb4619da8b12bcc6eadce8a142a85402e4783ad95c9ee5d2b328b241f3d4b8b1824122a781eed934f0978e1fd6a9f492cfb71012832cc3d07e6555d7d7744bba3f4d9661adb752cf0f605adf9cc7f75f40dd975690639eb9a1654b327d87c5a0eea0fabe48366dd8a4013bcfcd5cad4f406cabc592df2f2167eb43f61b56d01d0fe', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, '61b02929-c8e2-4f1d-8750-71017dd6544a', 'uuid:1d23bce1-6555-4d4d-9e0c-94c376dadd3f', 'received', 1764300000000, 0, NULL);
INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml) VALUES ('pengaduan', '2024070101', 'Pengaduan Masyarakat', 'md5:0123456789abcdef0123456789abcdef', 1796191125579, X'3c683a68746d6c20786d6c6e733d22687474703a2f2f7777772e77332e6f72672f323030322f78666f726d732220786d6c6e733a683d22687474703a2f2f7777772e77332e6f72672f313939392f7868746d6c223e3c683a686561643e3c683a7469746c653e50656e67616475616e204d6173796172616b61743c2f683a7469746c653e3c2f683a686561643e3c683a626f64792f3e3c2f683a68746d6c3e');

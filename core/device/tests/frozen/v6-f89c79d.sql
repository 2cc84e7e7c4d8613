-- Frozen layanan-device database at schema version 6. Never edit or regenerate:
-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32]).
-- Schema: CREATE of the commit that adds store_meta (schema v6, store integrity), whose parent is f89c79d; frozen in that same branch, regenerated before it was merged when drafts.generation was added.

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
    answers      BLOB NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 0
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

INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary, details) VALUES ('d6adbbee-df98-4d87-9f98-adecaa4ed606', 'Siti', 1796195363507, 'active', X'd38ed040d2cf8a7b0d1705bd1aed1d5431f2ab44e831d8e2d92af4b08096ac524995ce0a370a4bdc61551ff7625a8b8b9081e980218d08e003186cc8', X'01efe3e99d30bccc967e6605ca2fa4db426f19d88340d6727304dfe82c1b1f01b1054bac57c4a7c405307e2e3400', X'0109cd3a655cb7eacebc0c7a13f0c0c8f5b8a7192355cbaabed4c577ddee4222676da8281dfd808f0019d0d00e1a25bd653eefdcc0c573e123ff99704581cc46d734257fd3a4f69ebc9d082a62c63820e1081b55646ecfba198a180ae8d86a00e47c22fb4189332512b3d8569937f9de70d23544b0e0f6184b5957a1a6260f6c99cff5ec0070e7dcec1d2ca5d5bf04df6fa767bce75df4bdc08e20bb7d9afe1dc6897fd6dd7ffb86e7a1be5728');
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers, generation) VALUES ('268996c0-a4ee-4bfd-a2cf-9bafd462c064', 'd6adbbee-df98-4d87-9f98-adecaa4ed606', 'akta_kelahiran', '2024061201', 1796195363508, 1796195363508, X'01a06b416037f5240317cc721d342197963e95f734cd76be3deebd893f42cfcf7a3928203fd9c72e0b7c4565f0f2b68b7cc6b1cd41c766b6766977133dd5fd794f3a5a8339eb40b26ce6c2015bf6d2219e9428c69e3cf76ab24f55f6b83dda7db90f504c28582e', 4);
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('cbf2b4e9-d5d4-488b-ab6c-c8326b08bfea', 'd6adbbee-df98-4d87-9f98-adecaa4ed606', '268996c0-a4ee-4bfd-a2cf-9bafd462c064', 'image/jpeg', 27, 65536, 1, 1796195363509, X'015cefcc3f5d11387393b8d6a9fe9309c24a499873db3bac28128caa0db2b74056771346b795e33cf000e2a9a10c73c2ac9a095700c5355f42e4084699af654bf16c6db131d2553068edac9a99c4e6a8c0cbcf739d0a4c33ff4ed96422bdf25d633bc8aa4028b0ab978385342a5e839a6ecbb9e91ef952a0f986d865a55dc4e25e85b24ec50f99209a8fc7d5d0fdf9831359b441a7d38e');
INSERT INTO attachments (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta) VALUES ('0da4ec35-e95a-4bb8-bb8f-9a41d2626793', 'd6adbbee-df98-4d87-9f98-adecaa4ed606', NULL, 'image/jpeg', 15, 65536, 1, 1796195363509, X'018cae25356714080a6193efdeeb9a9c44c1cf24cc6aef0756e6bd4e4c3bc8a38dbb6ffbdfc185be7d07b0e4faeafeaa19239ba93a8ab5ac644a2e813723c5f21e4495f9a10f54ea38e418e6304dc400ee2d2ba055415bd8a26d18f82c5c96c631470905c31d8935233b9ad7f6413405936f1060bc3b764b2a768c707d955a223e79bc4358da3a6d141d4b');
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts, backoff_level, next_attempt_at, created_at, updated_at, error_code, agency_state, submission, error, receipt) VALUES ('uuid:1b19f75e-690c-4990-b552-5db6a4342505', 'd6adbbee-df98-4d87-9f98-adecaa4ed606', 1, 'pengaduan', '2024070101', 'queued', 0, 0, 0, 1796195363509, 1796195363509, NULL, NULL, X'01c5ecf4507a94726c8c6fdacb1b22e9e6cd9f4ca70113e0043d5a3272fe1ee9ec185004ade54a57d6d872d35fcff826483fc94cf2c2ddbd80156fb098aa554167b6f41382f28e245aa24193bb1109239638e3785bd4a65da68acbaadf74cf437d2c454f73d06f713ffd081c39e5eba6b4e290aed72f9d059865e8cb55c2d20383a1e42ae08182659349920d6ab3bcbff80896139c13721c50df2963c750cdef51c6e6ece88c1b59a29c4ea33576d2f02b898c1876dde30c8ec11b36c5467b7f2a8f8e1139d32c2a127e1a0e129498ab63d552ffa41b7fc4db24263cfc6244cefcdbc3465dadce0bc9496e098d33ac547fef2cad7803165e933fdc', NULL, NULL);
INSERT INTO outbox_attachments (instance_id, attachment_id, upload_id, uploaded) VALUES ('uuid:1b19f75e-690c-4990-b552-5db6a4342505', '0da4ec35-e95a-4bb8-bb8f-9a41d2626793', NULL, 0);
INSERT INTO sync_accounts (profile_id, server_url, updated_at, session, status_cursor) VALUES ('d6adbbee-df98-4d87-9f98-adecaa4ed606', 'https://layanan.example.go.id', 1796195363510, X'01a184ed32a6f69e73b314dbd42ca0ac252ad945af7e4fa16f78c66d4e020126bff95100e30177957ccf3f705e748ab39f757d3ddbf6bd8b6737eb4c0454c6d092248b6e9d9ddc730fa75285ab019beccbac99c6695fd38919ce8766e698ff85c6c50d104fa7cc9b9f2de2d656c4d5607d7c0b5d3e9ee4bea34a770761b36861ebe492a696cb67376d7ad54bdd040e4811d52e7b82b4f71ce5ec853b0b675b40e492a9840267ffc95accf161a7224446e57b402d252a856ff2c84ba509abe9a0f3c502aa208894195ba723', NULL);
INSERT INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note) VALUES (1, 'd6adbbee-df98-4d87-9f98-adecaa4ed606', 'uuid:1b19f75e-690c-4990-b552-5db6a4342505', 'received', 1764300000000, 0, NULL);
INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml) VALUES ('pengaduan', '2024070101', 'Pengaduan Masyarakat', 'md5:0123456789abcdef0123456789abcdef', 1796195363511, X'3c683a68746d6c20786d6c6e733d22687474703a2f2f7777772e77332e6f72672f323030322f78666f726d732220786d6c6e733a683d22687474703a2f2f7777772e77332e6f72672f313939392f7868746d6c223e3c683a686561643e3c683a7469746c653e50656e67616475616e204d6173796172616b61743c2f683a7469746c653e3c2f683a686561643e3c683a626f64792f3e3c2f683a68746d6c3e');
INSERT INTO store_meta (id, store_id, generation) VALUES (1, X'886001c4ad413996a11493cd7a75216d', 0);

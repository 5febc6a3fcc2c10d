// hoodiecrow-imap on 127.0.0.1 (its CLI binds 0.0.0.0 and knows only "testuser").
// Env: HOODIECROW_MODULE (path of the hoodiecrow-imap package), IMAP_PORT, IMAPS_PORT
// (0 = none), IMAP_USERS, IMAP_PASSWORD, HOODIECROW_PLUGINS (comma separated), TLS_CERT,
// TLS_KEY, HOODIECROW_DEBUG=true (log IMAP traffic to stdout).
"use strict";
const fs = require("fs");
const hoodiecrow = require(process.env.HOODIECROW_MODULE);

const users = {};
for (const name of (process.env.IMAP_USERS || "user1 user2 user3 user4 user5").split(/\s+/).filter(Boolean)) {
    users[name] = { password: process.env.IMAP_PASSWORD || "pass" };
}
const plugins = (process.env.HOODIECROW_PLUGINS ||
    "ENABLE,CONDSTORE,ID,IDLE,LITERALPLUS,NAMESPACE,UNSELECT,AUTH-PLAIN,SASL-IR,UIDPLUS,MOVE,SPECIAL-USE,STARTTLS")
    .split(",").map(s => s.trim()).filter(Boolean);
const credentials = process.env.TLS_CERT ? {
    key: fs.readFileSync(process.env.TLS_KEY), cert: fs.readFileSync(process.env.TLS_CERT),
} : undefined;

function server(secure) {
    // A fresh, empty INBOX; personal namespace "" with separator "/".
    return hoodiecrow({
        users, plugins: plugins.slice(), credentials, secureConnection: secure,
        debug: process.env.HOODIECROW_DEBUG === "true",
        storage: { "INBOX": {}, "": { separator: "/" } },
    });
}

const port = parseInt(process.env.IMAP_PORT || "15143", 10);
const tlsPort = parseInt(process.env.IMAPS_PORT || "0", 10);
server(false).listen(port, "127.0.0.1", () => console.log(`hoodiecrow on 127.0.0.1:${port}`));
if (tlsPort) {
    // A second server object, so a second mailbox store, separate from the plain port's.
    server(true).listen(tlsPort, "127.0.0.1", () => console.log(`hoodiecrow TLS on 127.0.0.1:${tlsPort}`));
}
process.on("SIGTERM", () => process.exit(0));

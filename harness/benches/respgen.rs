//! Deterministic generator of realistic IMAP4rev1 (RFC 3501) server responses.
//!
//! Dependency-free so it can be copied verbatim into another crate: the same
//! `(seed, target_bytes)` always yields byte-identical output.
//!
//! Mix (by count, approximately):
//! - 52% `* n FETCH (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)`
//! - 10% `* n FETCH (UID RFC822.SIZE BODY[HEADER] {n}\r\n...)` (literal)
//! -  3% `* n FETCH (UID BODY[] {n}\r\n...)` (whole message literal, 2-24 KiB)
//! - 10% `* n FETCH (UID n FLAGS (...))` flag updates
//! - 10% `* n EXISTS` / `* n EXPUNGE` / `* n RECENT`
//! -  8% tagged `OK`/`NO`/`BAD` (some with response codes)
//! -  7% other: `* OK [UIDVALIDITY ..]`, `* FLAGS`, `* SEARCH`, `* LIST`, `* STATUS`,
//!        `* CAPABILITY`, `+ ...` continuation, `* OK [UNSEEN n]`, `* OK [PERMANENTFLAGS ..]`

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// splitmix64
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    pub fn range(&mut self, lo: u64, hi_incl: u64) -> u64 {
        lo + self.below(hi_incl - lo + 1)
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// Counts per response kind, for cross-checking a parser's output.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub total: u64,
    pub fetch_full: u64,
    pub fetch_header_literal: u64,
    pub fetch_body_literal: u64,
    pub fetch_flags: u64,
    pub exists_expunge_recent: u64,
    pub tagged: u64,
    pub other: u64,
    pub literal_bytes: u64,
}

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter",
];
const LAST: &[&str] = &[
    "Smith",
    "Jones",
    "Müller",
    "O'Brien",
    "Nguyen",
    "Garcia",
    "Kowalski",
    "Rossi",
    "Tanaka",
    "Dubois",
    "Johansson",
    "Silva",
];
const HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "mail.example.net",
    "lists.example.com",
    "corp.example",
    "cac.washington.edu",
    "uni-example.de",
];
const WORDS: &[&str] = &[
    "meeting",
    "notes",
    "quarterly",
    "report",
    "invoice",
    "draft",
    "review",
    "urgent",
    "re:",
    "fwd:",
    "project",
    "update",
    "lunch",
    "schedule",
    "release",
    "build",
    "failed",
    "passed",
    "minutes",
    "agenda",
    "budget",
    "proposal",
    "patch",
    "v2",
    "question",
    "answer",
    "[list]",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZONES: &[&str] = &[
    "+0000", "-0700", "+0100", "+0200", "-0500", "+0530", "+0900",
];
const FLAGS: &[&str] = &[
    "\\Seen",
    "\\Answered",
    "\\Flagged",
    "\\Deleted",
    "\\Draft",
    "$Forwarded",
    "$Junk",
    "$NotJunk",
    "Work",
];
const MAILBOXES: &[&str] = &[
    "INBOX",
    "Sent",
    "Drafts",
    "Trash",
    "Archive/2024",
    "Lists/rust-users",
    "Work/Projects/imap",
    "Junk",
];

fn push_quoted_escaped(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// An IMAP `string`: quoted when 7-bit safe, else a literal `{n}\r\n...`.
fn push_string(out: &mut Vec<u8>, s: &str, st: &mut Stats) {
    let seven_bit = s
        .bytes()
        .all(|b| (0x01..=0x7f).contains(&b) && b != b'\r' && b != b'\n');
    if seven_bit {
        push_quoted_escaped(out, s);
    } else {
        out.extend_from_slice(format!("{{{}}}\r\n", s.len()).as_bytes());
        out.extend_from_slice(s.as_bytes());
        st.literal_bytes += s.len() as u64;
    }
}

fn name(r: &mut Rng) -> String {
    format!("{} {}", r.pick(FIRST), r.pick(LAST))
}

fn subject(r: &mut Rng) -> String {
    let n = r.range(2, 9);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(r.pick(WORDS));
    }
    if r.chance(5) {
        s.push_str(" \"quoted\" \\ backslash");
    }
    if r.chance(4) {
        s.push_str(" – Ünïcödé ✓"); // 8-bit: forces a literal
    }
    s
}

fn rfc2822_date(r: &mut Rng) -> String {
    format!(
        "{}, {} {} {} {:02}:{:02}:{:02} {}",
        r.pick(DAYS),
        r.range(1, 28),
        r.pick(MONTHS),
        r.range(1996, 2026),
        r.range(0, 23),
        r.range(0, 59),
        r.range(0, 59),
        r.pick(ZONES)
    )
}

fn internal_date(r: &mut Rng) -> String {
    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    format!(
        "\"{:>2}-{}-{} {:02}:{:02}:{:02} {}\"",
        r.range(1, 28),
        r.pick(MONTHS),
        r.range(1996, 2026),
        r.range(0, 23),
        r.range(0, 59),
        r.range(0, 59),
        r.pick(ZONES)
    )
}

fn push_address(out: &mut Vec<u8>, r: &mut Rng, st: &mut Stats) {
    // address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
    out.push(b'(');
    if r.chance(85) {
        let n = name(r);
        push_string(out, &n, st);
    } else {
        out.extend_from_slice(b"NIL");
    }
    out.extend_from_slice(b" NIL ");
    let mbox = format!("{}.{}", r.pick(FIRST).to_lowercase(), r.range(1, 999));
    push_quoted_escaped(out, &mbox);
    out.push(b' ');
    push_quoted_escaped(out, r.pick(HOSTS));
    out.push(b')');
}

fn push_addr_list(out: &mut Vec<u8>, r: &mut Rng, st: &mut Stats, min: u64, max: u64) {
    let n = r.range(min, max);
    if n == 0 {
        out.extend_from_slice(b"NIL");
        return;
    }
    out.push(b'(');
    for _ in 0..n {
        push_address(out, r, st);
    }
    out.push(b')');
}

fn push_envelope(out: &mut Vec<u8>, r: &mut Rng, st: &mut Stats) {
    out.extend_from_slice(b"ENVELOPE (");
    let d = rfc2822_date(r);
    push_quoted_escaped(out, &d);
    out.push(b' ');
    let s = subject(r);
    push_string(out, &s, st);
    out.push(b' ');
    push_addr_list(out, r, st, 1, 1); // from
    out.push(b' ');
    push_addr_list(out, r, st, 1, 1); // sender
    out.push(b' ');
    push_addr_list(out, r, st, 1, 1); // reply-to
    out.push(b' ');
    push_addr_list(out, r, st, 1, 4); // to
    out.push(b' ');
    push_addr_list(out, r, st, 0, 3); // cc
    out.push(b' ');
    push_addr_list(out, r, st, 0, 1); // bcc
    out.push(b' ');
    if r.chance(40) {
        let irt = format!("<{}.{}@{}>", r.next_u64(), r.range(1, 99), r.pick(HOSTS));
        push_quoted_escaped(out, &irt);
    } else {
        out.extend_from_slice(b"NIL");
    }
    out.push(b' ');
    let mid = format!(
        "<{:x}.{}@{}>",
        r.next_u64(),
        r.range(1, 99999),
        r.pick(HOSTS)
    );
    push_quoted_escaped(out, &mid);
    out.push(b')');
}

/// A single-part body (body-type-1part) with extension data (body-ext-1part).
fn push_body_1part(out: &mut Vec<u8>, r: &mut Rng, depth: u32) {
    match r.below(10) {
        0..=5 => {
            // text/*
            let sub = if r.chance(50) { "PLAIN" } else { "HTML" };
            let enc = r.pick(&["7BIT", "QUOTED-PRINTABLE", "8BIT", "BASE64"]);
            let size = r.range(40, 60_000);
            out.extend_from_slice(
                format!(
                    "(\"TEXT\" \"{sub}\" (\"CHARSET\" \"{}\") NIL NIL \"{enc}\" {size} {}",
                    r.pick(&["UTF-8", "US-ASCII", "ISO-8859-1"]),
                    size / 60 + 1
                )
                .as_bytes(),
            );
            if r.chance(70) {
                out.extend_from_slice(b" NIL NIL NIL NIL");
            }
            out.push(b')');
        }
        6..=8 => {
            // application/* or image/* attachment: body-type-basic
            let (t, s, f) = r.pick(&[
                ("APPLICATION", "PDF", "report.pdf"),
                ("IMAGE", "PNG", "screenshot.png"),
                ("IMAGE", "JPEG", "photo.jpg"),
                ("APPLICATION", "OCTET-STREAM", "data.bin"),
                ("APPLICATION", "ZIP", "archive.zip"),
            ]);
            let size = r.range(1_000, 4_000_000);
            out.extend_from_slice(
                format!(
                    "(\"{t}\" \"{s}\" (\"NAME\" \"{f}\") NIL NIL \"BASE64\" {size} NIL (\"ATTACHMENT\" (\"FILENAME\" \"{f}\")) NIL NIL)"
                )
                .as_bytes(),
            );
        }
        _ => {
            if depth < 2 {
                // message/rfc822: body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
                let size = r.range(500, 80_000);
                out.extend_from_slice(
                    format!("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" {size} ").as_bytes(),
                );
                let mut st = Stats::default();
                let mut env = Vec::new();
                push_envelope(&mut env, r, &mut st);
                out.extend_from_slice(&env[b"ENVELOPE ".len()..]);
                out.push(b' ');
                push_body(out, r, depth + 1);
                out.extend_from_slice(format!(" {} NIL NIL NIL NIL)", size / 70 + 1).as_bytes());
            } else {
                out.extend_from_slice(b"(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"7BIT\" 120 3 NIL NIL NIL NIL)");
            }
        }
    }
}

fn push_body(out: &mut Vec<u8>, r: &mut Rng, depth: u32) {
    if depth < 3 && r.chance(if depth == 0 { 55 } else { 25 }) {
        // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
        out.push(b'(');
        let n = r.range(2, 4);
        for _ in 0..n {
            push_body(out, r, depth + 1);
        }
        let sub = r.pick(&["MIXED", "ALTERNATIVE", "RELATED", "SIGNED"]);
        out.extend_from_slice(
            format!(
                " \"{sub}\" (\"BOUNDARY\" \"----=_Part_{}_{}\") NIL NIL NIL)",
                r.range(1, 99999),
                r.next_u64() % 1_000_000_000
            )
            .as_bytes(),
        );
    } else {
        push_body_1part(out, r, depth);
    }
}

fn push_flags(out: &mut Vec<u8>, r: &mut Rng) {
    out.extend_from_slice(b"FLAGS (");
    let n = r.range(0, 4);
    for i in 0..n {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(r.pick(FLAGS).as_bytes());
    }
    out.push(b')');
}

fn header_block(r: &mut Rng) -> String {
    let mut h = String::new();
    h.push_str(&format!(
        "Return-Path: <{}@{}>\r\n",
        r.pick(FIRST).to_lowercase(),
        r.pick(HOSTS)
    ));
    for i in 0..r.range(1, 5) {
        h.push_str(&format!(
            "Received: from mx{i}.{} (mx{i}.{} [192.0.2.{}])\r\n\tby {} with ESMTPS id {:x}\r\n\tfor <x@{}>; {}\r\n",
            r.pick(HOSTS), r.pick(HOSTS), r.range(1, 254), r.pick(HOSTS), r.next_u64(), r.pick(HOSTS), rfc2822_date(r)
        ));
    }
    h.push_str(&format!("Date: {}\r\n", rfc2822_date(r)));
    h.push_str(&format!(
        "From: {} <{}@{}>\r\n",
        name(r),
        r.pick(FIRST).to_lowercase(),
        r.pick(HOSTS)
    ));
    h.push_str(&format!(
        "To: {} <{}@{}>\r\n",
        name(r),
        r.pick(FIRST).to_lowercase(),
        r.pick(HOSTS)
    ));
    h.push_str(&format!("Subject: {}\r\n", subject(r)));
    h.push_str(&format!(
        "Message-ID: <{:x}@{}>\r\n",
        r.next_u64(),
        r.pick(HOSTS)
    ));
    h.push_str("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n");
    h
}

fn body_text(r: &mut Rng, target: usize) -> String {
    let mut b = String::with_capacity(target + 80);
    while b.len() < target {
        let n = r.range(5, 14);
        for i in 0..n {
            if i > 0 {
                b.push(' ');
            }
            b.push_str(r.pick(WORDS));
        }
        b.push_str(".\r\n");
    }
    b
}

fn push_literal(out: &mut Vec<u8>, data: &[u8], st: &mut Stats) {
    out.extend_from_slice(format!("{{{}}}\r\n", data.len()).as_bytes());
    out.extend_from_slice(data);
    st.literal_bytes += data.len() as u64;
}

/// Append one response (including its final CRLF) to `out`.
pub fn push_response(
    out: &mut Vec<u8>,
    r: &mut Rng,
    st: &mut Stats,
    seq: &mut u64,
    tagn: &mut u64,
) {
    st.total += 1;
    let roll = r.below(100);
    *seq += 1;
    let n = *seq;
    let uid = n * 3 + 1000;
    match roll {
        0..=51 => {
            st.fetch_full += 1;
            out.extend_from_slice(format!("* {n} FETCH (UID {uid} ").as_bytes());
            push_flags(out, r);
            out.extend_from_slice(
                format!(
                    " RFC822.SIZE {} INTERNALDATE {} ",
                    r.range(300, 5_000_000),
                    internal_date(r)
                )
                .as_bytes(),
            );
            push_envelope(out, r, st);
            out.extend_from_slice(b" BODYSTRUCTURE ");
            push_body(out, r, 0);
            out.extend_from_slice(b")\r\n");
        }
        52..=61 => {
            st.fetch_header_literal += 1;
            out.extend_from_slice(
                format!(
                    "* {n} FETCH (UID {uid} RFC822.SIZE {} BODY[HEADER] ",
                    r.range(300, 5_000_000)
                )
                .as_bytes(),
            );
            let h = header_block(r);
            push_literal(out, h.as_bytes(), st);
            out.extend_from_slice(b")\r\n");
        }
        62..=64 => {
            st.fetch_body_literal += 1;
            out.extend_from_slice(
                format!("* {n} FETCH (UID {uid} FLAGS (\\Seen) BODY[] ").as_bytes(),
            );
            let mut m = header_block(r);
            let sz = r.range(2_000, 24_000) as usize;
            m.push_str(&body_text(r, sz));
            push_literal(out, m.as_bytes(), st);
            out.extend_from_slice(b")\r\n");
        }
        65..=74 => {
            st.fetch_flags += 1;
            out.extend_from_slice(format!("* {n} FETCH (UID {uid} ").as_bytes());
            push_flags(out, r);
            out.extend_from_slice(b")\r\n");
        }
        75..=84 => {
            st.exists_expunge_recent += 1;
            let kw = r.pick(&["EXISTS", "EXPUNGE", "RECENT", "EXISTS"]);
            out.extend_from_slice(format!("* {} {kw}\r\n", r.range(1, 200_000)).as_bytes());
        }
        85..=92 => {
            st.tagged += 1;
            *tagn += 1;
            let t = *tagn;
            let line = match r.below(10) {
                0..=5 => format!(
                    "A{t:04} OK {} completed\r\n",
                    r.pick(&["FETCH", "UID FETCH", "STORE", "SEARCH", "NOOP", "IDLE"])
                ),
                6 => format!("A{t:04} OK [READ-WRITE] SELECT completed\r\n"),
                7 => format!("A{t:04} OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"),
                8 => format!(
                    "A{t:04} NO [TRYCREATE] Mailbox doesn't exist: {}\r\n",
                    r.pick(MAILBOXES)
                ),
                _ => format!(
                    "A{t:04} BAD Command syntax error near \"{}\"\r\n",
                    r.pick(WORDS)
                ),
            };
            out.extend_from_slice(line.as_bytes());
        }
        _ => {
            st.other += 1;
            let line = match r.below(10) {
                0 => format!("* OK [UIDVALIDITY {}] UIDs valid\r\n", r.range(1, 4_000_000_000)),
                1 => "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded $Junk)\r\n".to_string(),
                2 => {
                    let mut s = String::from("* SEARCH");
                    for _ in 0..r.range(0, 40) {
                        s.push_str(&format!(" {}", r.range(1, 100_000)));
                    }
                    s.push_str("\r\n");
                    s
                }
                3 => format!("* LIST (\\HasNoChildren) \"/\" \"{}\"\r\n", r.pick(MAILBOXES)),
                4 => format!("* STATUS \"{}\" (MESSAGES {} UIDNEXT {} UNSEEN {})\r\n", r.pick(MAILBOXES), r.range(0, 99999), r.range(1, 999999), r.range(0, 999)),
                5 => "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MOVE UIDPLUS UNSELECT AUTH=PLAIN\r\n".to_string(),
                6 => "+ idling\r\n".to_string(),
                7 => format!("* OK [UNSEEN {}] Message {} is first unseen\r\n", r.range(1, 5000), r.range(1, 5000)),
                8 => "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n".to_string(),
                _ => format!("* {} RECENT\r\n", r.range(0, 50)),
            };
            out.extend_from_slice(line.as_bytes());
        }
    }
}

/// Generate at least `target_bytes` of responses.
pub fn generate(seed: u64, target_bytes: usize) -> (Vec<u8>, Stats) {
    let mut r = Rng::new(seed);
    let mut st = Stats::default();
    let mut out = Vec::with_capacity(target_bytes + 64 * 1024);
    let (mut seq, mut tagn) = (0u64, 0u64);
    while out.len() < target_bytes {
        push_response(&mut out, &mut r, &mut st, &mut seq, &mut tagn);
    }
    (out, st)
}

/// Same stream as [`generate`], but each response is routed into a per-kind buffer
/// (kind names match the [`Stats`] fields). Returns (kind, bytes, count).
pub fn generate_by_kind(seed: u64, target_bytes: usize) -> Vec<(&'static str, Vec<u8>, u64)> {
    let names = [
        "fetch_full",
        "fetch_header_literal",
        "fetch_body_literal",
        "fetch_flags",
        "exists_expunge_recent",
        "tagged",
        "other",
    ];
    let mut bufs: Vec<(&'static str, Vec<u8>, u64)> =
        names.iter().map(|n| (*n, Vec::new(), 0)).collect();
    let mut r = Rng::new(seed);
    let mut st = Stats::default();
    let (mut seq, mut tagn) = (0u64, 0u64);
    let mut total = 0usize;
    let mut tmp = Vec::new();
    while total < target_bytes {
        let before = [
            st.fetch_full,
            st.fetch_header_literal,
            st.fetch_body_literal,
            st.fetch_flags,
            st.exists_expunge_recent,
            st.tagged,
            st.other,
        ];
        tmp.clear();
        push_response(&mut tmp, &mut r, &mut st, &mut seq, &mut tagn);
        let after = [
            st.fetch_full,
            st.fetch_header_literal,
            st.fetch_body_literal,
            st.fetch_flags,
            st.exists_expunge_recent,
            st.tagged,
            st.other,
        ];
        let k = (0..7).find(|&i| after[i] != before[i]).unwrap();
        bufs[k].1.extend_from_slice(&tmp);
        bufs[k].2 += 1;
        total += tmp.len();
    }
    bufs
}

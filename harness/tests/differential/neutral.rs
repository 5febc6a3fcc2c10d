//! The neutral comparison form: what a response *means*, in terms both parsers can express.
//!
//! Both ASTs are mapped into these types and compared with `==`. The form keeps every
//! distinction both parsers keep (NIL vs "", `5` vs `5:5`, quoted vs literal does not
//! matter to either) and drops only what one of them throws away; each such loss is
//! documented where the mapping makes it.

/// `nstring`: `None` is NIL.
pub type NStr = Option<Vec<u8>>;

/// `body-fld-param` pairs, in order; empty for NIL.
pub type Params = Vec<(Vec<u8>, Vec<u8>)>;

/// One response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resp {
    Continue(Continue),
    /// Tagged, untagged and BYE status responses; `tag` is `None` when untagged.
    Status {
        tag: Option<Vec<u8>>,
        kind: Kind,
        text: Text,
    },
    /// Capability names, upper-cased: imap-codec types the ones it knows and prints
    /// them in its own case.
    Capability(Vec<String>),
    Flags(Vec<Flag>),
    List {
        lsub: bool,
        flags: Vec<String>,
        delimiter: Option<u8>,
        mailbox: Mailbox,
    },
    Search(Vec<u32>),
    Sort(Vec<u32>),
    Thread(Vec<Thread>),
    MailboxStatus {
        mailbox: Mailbox,
        items: Vec<(String, u64)>,
    },
    Exists(u32),
    Recent(u32),
    Expunge(u32),
    Fetch {
        seq: u32,
        atts: Vec<Att>,
    },
    Enabled(Vec<String>),
    /// An untagged response our parser keeps raw for the checker (`QUOTA`,
    /// `QUOTAROOT`): only its keyword, upper-cased, is compared.
    RawKeyword(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ok,
    No,
    Bad,
    Bye,
}

/// `continue-req`: base64 is compared decoded (imap-codec keeps only the decoded bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Continue {
    Base64(Vec<u8>),
    Text(Text),
}

/// `resp-text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub code: Option<Code>,
    pub text: Vec<u8>,
}

/// `resp-text-code`: the codes both parsers type, and the generic form for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Alert,
    BadCharset(Vec<Vec<u8>>),
    Capability(Vec<String>),
    Parse,
    PermanentFlags(Vec<Flag>),
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidNext(u32),
    UidValidity(u32),
    Unseen(u32),
    AppendUid {
        validity: u32,
        uid: u32,
    },
    CopyUid {
        validity: u32,
        source: Vec<SetItem>,
        destination: Vec<SetItem>,
    },
    UidNotSticky,
    /// `atom [SP 1*<any TEXT-CHAR except "]">]`: the name upper-cased (codes are
    /// case-insensitive), the rest as sent.
    Other {
        name: String,
        rest: Option<Vec<u8>>,
    },
}

/// One element of a `uid-set`, kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetItem {
    One(u32),
    Range(u32, u32),
}

/// A flag. Names after a backslash are matched case-insensitively by both parsers for
/// the system flags, so those get one canonical spelling; other names stay as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// `"\" atom`, without the backslash; `*` for `\*`.
    Backslash(String),
    Keyword(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    Inbox,
    Other(Vec<u8>),
}

/// `thread-list`: members, then the nested threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub members: Vec<u32>,
    pub children: Vec<Thread>,
}

/// One FETCH item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Att {
    Flags(Vec<Flag>),
    Uid(u32),
    Rfc822Size(u32),
    /// The instant (seconds since the Unix epoch, UTC) and the zone offset in seconds:
    /// imap-codec keeps a `chrono` value, which determines the fields and vice versa.
    InternalDate {
        utc_seconds: i64,
        offset_seconds: i32,
    },
    Envelope(Box<Envelope>),
    Rfc822(NStr),
    Rfc822Header(NStr),
    Rfc822Text(NStr),
    Body(Box<Body>),
    BodyStructure(Box<Body>),
    Section {
        section: Section,
        origin: Option<u32>,
        data: NStr,
    },
    Binary {
        section: Vec<u32>,
        data: NStr,
    },
    BinarySize {
        section: Vec<u32>,
        size: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub date: NStr,
    pub subject: NStr,
    pub from: Vec<Address>,
    pub sender: Vec<Address>,
    pub reply_to: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub bcc: Vec<Address>,
    pub in_reply_to: NStr,
    pub message_id: NStr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: NStr,
    pub adl: NStr,
    pub mailbox: NStr,
    pub host: NStr,
}

/// `section`: `part` empty and `text` `None` is `BODY[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub part: Vec<u32>,
    pub text: Option<SectionText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText {
    Header,
    HeaderFields(Vec<Vec<u8>>),
    HeaderFieldsNot(Vec<Vec<u8>>),
    Text,
    Mime,
}

/// `body`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Single {
        kind: BodyKind,
        fields: Fields,
        ext: Option<Ext>,
    },
    Multi {
        parts: Vec<Body>,
        subtype: Vec<u8>,
        ext: Option<Ext>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    Basic {
        media_type: Vec<u8>,
        subtype: Vec<u8>,
    },
    Text {
        subtype: Vec<u8>,
        lines: u32,
    },
    Message {
        envelope: Box<Envelope>,
        body: Box<Body>,
        lines: u32,
    },
}

/// `body-fields`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub params: Params,
    pub id: NStr,
    pub description: NStr,
    pub encoding: Vec<u8>,
    pub octets: u32,
}

/// `body-ext-1part` / `body-ext-mpart`: what comes first (the MD5 of a single part, the
/// parameters of a multipart), then the optional tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtHead {
    Md5(NStr),
    Params(Params),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ext {
    pub head: ExtHead,
    /// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`
    pub disposition: Option<Disposition>,
}

/// `body-fld-dsp` (`None` inside for NIL) and what may follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition {
    pub value: Option<(Vec<u8>, Params)>,
    pub language: Option<Language>,
}

/// `body-fld-lang`, flattened: imap-codec holds NIL as `[]` and a single string as a
/// one-element list, so `"en"` and `("en")` compare equal here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub tags: Vec<Vec<u8>>,
    pub location: Option<(NStr, Vec<BodyExt>)>,
}

/// `body-extension`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyExt {
    NString(NStr),
    Number(u32),
    List(Vec<BodyExt>),
}

/// The canonical spelling of a flag name after the backslash.
pub fn backslash_flag(name: &str) -> Flag {
    const SYSTEM: [&str; 6] = ["Answered", "Flagged", "Deleted", "Seen", "Draft", "Recent"];
    let canonical = SYSTEM.iter().find(|s| s.eq_ignore_ascii_case(name));
    Flag::Backslash(canonical.map_or_else(|| name.to_owned(), |s| (*s).to_owned()))
}

//! The response AST, named after the RFC 3501 §9 rules (and the extension RFCs' rules).
//!
//! Borrowed from the frame: every [`Bytes`] is a slice of the input unless a quoted
//! string had escapes. Lists are `Vec`s. An empty `Vec` stands for `NIL` where the
//! grammar has "`(` 1*x `)` / nil" (a list that cannot be empty).

pub use super::ast_fetch::*;
pub use crate::wire::grammar::{
    Bytes, Date, DateTime, Flag, IdParams, Mailbox, NString, Section, SectionText, SeqItem,
    SeqNumber, SequenceSet,
};

/// `response = *(continue-req / response-data) response-done`, one element of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response<'a> {
    /// `continue-req = "+" SP (resp-text / base64) CRLF`
    Continue(ContinueReq<'a>),
    /// `response-tagged = tag SP resp-cond-state CRLF`
    Tagged(Tagged<'a>),
    /// `response-data = "*" SP (...) CRLF`, including `response-fatal` (BYE).
    Data(Data<'a>),
}

/// `continue-req = "+" SP (resp-text / base64) CRLF`
///
/// The two alternatives overlap (`"+ YWJj"` is both). A line that is valid `base64`
/// (including empty, as SASL sends) is [`ContinueReq::Base64`]; anything else is text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContinueReq<'a> {
    Text(RespText<'a>),
    Base64(Bytes<'a>),
}

/// `response-tagged = tag SP resp-cond-state CRLF`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged<'a> {
    pub tag: Bytes<'a>,
    pub status: StatusResponse<'a>,
}

/// `resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusResponse<'a> {
    pub kind: StatusKind,
    pub text: RespText<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusKind {
    Ok,
    No,
    Bad,
}

/// `greeting = "*" SP (resp-cond-auth / resp-cond-bye) CRLF`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting<'a> {
    pub kind: GreetingKind,
    pub text: RespText<'a>,
}

/// `resp-cond-auth = ("OK" / "PREAUTH") SP resp-text` / `resp-cond-bye = "BYE" SP resp-text`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GreetingKind {
    Ok,
    PreAuth,
    Bye,
}

/// `resp-text = ["[" resp-text-code "]" SP] text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespText<'a> {
    pub code: Option<Code<'a>>,
    /// `text = 1*TEXT-CHAR`
    pub text: Bytes<'a>,
}

/// `resp-text-code`: RFC 3501's codes, the typed extension codes, and the generic form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code<'a> {
    Alert,
    /// `"BADCHARSET" [SP "(" astring *(SP astring) ")" ]`; empty when no list was sent.
    BadCharset(Vec<Bytes<'a>>),
    /// `capability-data`
    Capability(Vec<Bytes<'a>>),
    Parse,
    /// `"PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")"`
    PermanentFlags(Vec<Flag<'a>>),
    ReadOnly,
    ReadWrite,
    TryCreate,
    UidNext(u32),
    UidValidity(u32),
    Unseen(u32),
    /// `"APPENDUID" SP nz-number SP append-uid` (RFC 4315; uid-set with MULTIAPPEND)
    AppendUid {
        uidvalidity: u32,
        uids: SequenceSet,
    },
    /// `"COPYUID" SP nz-number SP uid-set SP uid-set` (RFC 4315)
    CopyUid {
        uidvalidity: u32,
        source: SequenceSet,
        destination: SequenceSet,
    },
    /// `"UIDNOTSTICKY"` (RFC 4315)
    UidNotSticky,
    /// `"HIGHESTMODSEQ" SP mod-sequence-value` (RFC 7162)
    HighestModSeq(u64),
    /// `"NOMODSEQ"` (RFC 7162)
    NoModSeq,
    /// `"MODIFIED" SP sequence-set` (RFC 7162)
    Modified(SequenceSet),
    /// `"CLOSED"` (RFC 7162)
    Closed,
    /// `atom [SP 1*<any TEXT-CHAR except "]">]`
    Other {
        name: Bytes<'a>,
        text: Option<Bytes<'a>>,
    },
}

/// What follows `"*" SP` in `response-data` (and `response-fatal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data<'a> {
    /// `resp-cond-state`, untagged.
    Status(StatusResponse<'a>),
    /// `resp-cond-bye = "BYE" SP resp-text`
    Bye(RespText<'a>),
    /// `capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)`
    Capability(Vec<Bytes<'a>>),
    /// `"FLAGS" SP flag-list`
    Flags(Vec<Flag<'a>>),
    /// `"LIST" SP mailbox-list`
    List(MailboxList<'a>),
    /// `"LSUB" SP mailbox-list`
    Lsub(MailboxList<'a>),
    /// `"SEARCH" *(SP nz-number) [SP search-sort-mod-seq]` (RFC 7162 adds the MODSEQ)
    Search {
        numbers: Vec<u32>,
        modseq: Option<u64>,
    },
    /// `"SORT" *(SP nz-number) [SP search-sort-mod-seq]` (RFC 5256, RFC 7162)
    Sort {
        numbers: Vec<u32>,
        modseq: Option<u64>,
    },
    /// `"STATUS" SP mailbox SP "(" [status-att-list] ")"`
    MailboxStatus {
        mailbox: Mailbox<'a>,
        items: Vec<StatusItem<'a>>,
    },
    /// `number SP "EXISTS"`
    Exists(u32),
    /// `number SP "RECENT"`
    Recent(u32),
    /// `nz-number SP "EXPUNGE"`
    Expunge(u32),
    /// `nz-number SP "FETCH" SP msg-att`
    Fetch { seq: u32, atts: Vec<MsgAtt<'a>> },
    /// `"ENABLED" *(SP capability)` (RFC 5161)
    Enabled(Vec<Bytes<'a>>),
    /// `"NAMESPACE" SP Namespace SP Namespace SP Namespace` (RFC 2342)
    Namespace(Namespaces<'a>),
    /// `"ID" SP id-params-list` (RFC 2971); `None` for NIL.
    Id(IdParams<'a>),
    /// `esearch-response` (RFC 4731)
    Esearch(Esearch<'a>),
    /// `"VANISHED" [SP "(EARLIER)"] SP known-uids` (RFC 7162)
    Vanished { earlier: bool, uids: SequenceSet },
    /// `"THREAD" [SP 1*thread-list]` (RFC 5256)
    Thread(Vec<Thread>),
    /// An untagged response whose first atom no typed rule knows, kept raw for the
    /// checker to explain with a capability (`QUOTA`, `ACL`, `METADATA`, ...).
    Extension {
        name: Bytes<'a>,
        rest: Option<Bytes<'a>>,
    },
}

/// `mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP
/// mailbox [SP mbox-list-extended]` (RFC 5258 adds the extended part)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxList<'a> {
    pub flags: Vec<ListFlag<'a>>,
    /// `None` for NIL (a flat namespace).
    pub delimiter: Option<u8>,
    pub mailbox: Mailbox<'a>,
    pub extended: Option<Vec<ListExtItem<'a>>>,
}

/// `mbx-list-oflag` / `mbx-list-sflag`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListFlag<'a> {
    Noinferiors,
    Noselect,
    Marked,
    Unmarked,
    /// `flag-extension = "\" atom` (e.g. `\HasChildren`, `\Sent`), without the backslash.
    Extension(Bytes<'a>),
}

/// `mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val` (RFC 5258)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListExtItem<'a> {
    pub tag: Bytes<'a>,
    /// The `tagged-ext-val` as sent (validated, not interpreted).
    pub value: Bytes<'a>,
}

/// `status-att SP number` and the extension items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusItem<'a> {
    Messages(u32),
    Recent(u32),
    UidNext(u32),
    UidValidity(u32),
    Unseen(u32),
    /// RFC 9051
    Deleted(u32),
    /// RFC 7162
    HighestModSeq(u64),
    /// RFC 8438
    Size(u64),
    /// RFC 7889: `"APPENDLIMIT" SP (number / nil)`
    AppendLimit(Option<u64>),
    /// RFC 8474: `"MAILBOXID" SP "(" objectid ")"`
    MailboxId(Bytes<'a>),
    /// Any other `status-att SP number`.
    Other {
        name: Bytes<'a>,
        value: u64,
    },
}

/// The three namespace lists of RFC 2342; `None` for NIL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespaces<'a> {
    pub personal: Option<Vec<NamespaceDesc<'a>>>,
    pub other: Option<Vec<NamespaceDesc<'a>>>,
    pub shared: Option<Vec<NamespaceDesc<'a>>>,
}

/// `"(" string SP (<"> QUOTED_CHAR <"> / nil) *(Namespace_Response_Extension) ")"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceDesc<'a> {
    pub prefix: Bytes<'a>,
    pub delimiter: Option<u8>,
    /// `Namespace_Response_Extension = SP string SP "(" string *(SP string) ")"`
    pub extensions: Vec<(Bytes<'a>, Vec<Bytes<'a>>)>,
}

/// `esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Esearch<'a> {
    /// `search-correlator = SP "(" "TAG" SP tag-string ")"`
    pub tag: Option<Bytes<'a>>,
    pub uid: bool,
    pub items: Vec<EsearchItem<'a>>,
}

/// `search-return-data` (RFC 4731, RFC 7162's MODSEQ)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EsearchItem<'a> {
    Min(u32),
    Max(u32),
    All(SequenceSet),
    Count(u32),
    ModSeq(u64),
    /// `search-ret-data-ext = search-modifier-name SP search-return-value`
    Other {
        name: Bytes<'a>,
        value: Bytes<'a>,
    },
}

/// `thread-list = "(" (thread-members / thread-nested) ")"` (RFC 5256)
///
/// `members` then `children`: `(1 2 (3)(4 5))` is members `[1, 2]` with two children.
/// A thread has members or at least two children; children come in twos or more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub members: Vec<u32>,
    pub children: Vec<Thread>,
}

//! The command tree: `command = tag SP (command-any / command-auth / command-nonauth /
//! command-select) CRLF` (RFC 3501 §9), plus the extensions real clients use every day.

use super::auth::InitialResponse;
use super::datetime::DateTime;
use super::error::ValueError;
use super::extension::{GetMetadata, Sort, Thread};
use super::fetch::{FetchItems, StatusAtt};
use super::flag::Flag;
use super::mailbox::{ListMailbox, Mailbox};
use super::search::{SearchKey, SearchReturnOpt};
use super::sequence::SequenceSet;
use super::values::{
    AString, Atom, Charset, IString, LiteralData, ModSeq, ModSeqValzer, NonEmpty, Tag, check_each,
};
use std::num::NonZeroU32;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Command {
    pub tag: Tag,
    pub body: CommandBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CommandBody {
    // command-any
    Capability,
    Logout,
    Noop,
    // command-nonauth
    StartTls,
    Authenticate {
        mechanism: Atom,
        initial_response: Option<InitialResponse>,
    },
    Login {
        username: AString,
        password: AString,
    },
    // command-auth
    Select(Select),
    Examine(Select),
    Create(Mailbox),
    Delete(Mailbox),
    Rename {
        from: Mailbox,
        to: Mailbox,
    },
    Subscribe(Mailbox),
    Unsubscribe(Mailbox),
    List(List),
    Lsub {
        reference: Mailbox,
        pattern: ListMailbox,
    },
    Status {
        mailbox: Mailbox,
        items: NonEmpty<StatusAtt>,
    },
    Append(Append),
    // command-select
    Check,
    Close,
    Expunge,
    /// UIDPLUS (RFC 4315) `UID EXPUNGE sequence-set`
    UidExpunge(SequenceSet),
    Search(Search),
    Fetch(Fetch),
    Store(Store),
    Copy {
        uid: bool,
        set: SequenceSet,
        mailbox: Mailbox,
    },
    /// MOVE (RFC 6851)
    Move {
        uid: bool,
        set: SequenceSet,
        mailbox: Mailbox,
    },
    // everyday extensions
    /// IDLE (RFC 2177); the `DONE` line is a separate [`super::auth::IdleDone`].
    Idle,
    /// ENABLE (RFC 5161)
    Enable(NonEmpty<Atom>),
    /// UNSELECT (RFC 3691)
    Unselect,
    /// NAMESPACE (RFC 2342)
    Namespace,
    /// ID (RFC 2971): `NIL` is `None`; each value may be `NIL`.
    Id(Option<Vec<(IString, Option<IString>)>>),
    /// SORT (RFC 5256)
    Sort(Sort),
    /// THREAD (RFC 5256)
    Thread(Thread),
    /// ACL (RFC 4314) `GETACL mailbox`
    GetAcl(Mailbox),
    /// ACL (RFC 4314) `MYRIGHTS mailbox`
    MyRights(Mailbox),
    /// QUOTA (RFC 9208) `GETQUOTA quota-root`
    GetQuota(AString),
    /// QUOTA (RFC 9208) `GETQUOTAROOT mailbox`
    GetQuotaRoot(Mailbox),
    /// METADATA (RFC 5464)
    GetMetadata(GetMetadata),
    /// `x-command = "X" atom <experimental command arguments>`
    Experimental(Experimental),
}

/// `list = "LIST" [SP list-select-opts] SP mailbox SP list-mailbox [SP list-return-opts]`
/// (LIST-EXTENDED, RFC 5258; both option lists empty is plain RFC 3501 LIST).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct List {
    pub selection: Vec<ListSelectOpt>,
    pub reference: Mailbox,
    pub pattern: ListMailbox,
    pub return_opts: Vec<ListReturnOpt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListSelectOpt {
    Subscribed,
    Remote,
    RecursiveMatch,
    /// SPECIAL-USE (RFC 6154)
    SpecialUse,
}

impl ListSelectOpt {
    /// RFC 5258 §6: RECURSIVEMATCH only modifies a base option (SUBSCRIBED, or SPECIAL-USE
    /// per RFC 6154), so it never appears alone.
    pub fn is_valid_combination(opts: &[ListSelectOpt]) -> bool {
        !opts.contains(&Self::RecursiveMatch)
            || opts
                .iter()
                .any(|o| matches!(o, Self::Subscribed | Self::SpecialUse))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListReturnOpt {
    Subscribed,
    Children,
    /// SPECIAL-USE (RFC 6154)
    SpecialUse,
    /// LIST-STATUS (RFC 5819)
    Status(NonEmpty<StatusAtt>),
}

/// `append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Append {
    pub mailbox: Mailbox,
    /// Sent as a flag list when non-empty (an empty list and no list mean the same).
    pub flags: Vec<Flag>,
    pub date: Option<DateTime>,
    pub message: LiteralData,
}

/// `search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)`, optionally `UID`, with
/// ESEARCH's `RETURN (…)` (RFC 4731). `return_opts: Some(vec![])` is `RETURN ()`, which
/// differs from no RETURN: it asks for an ESEARCH response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Search {
    pub uid: bool,
    pub return_opts: Option<Vec<SearchReturnOpt>>,
    pub charset: Option<Charset>,
    pub criteria: NonEmpty<SearchKey>,
}

/// `select = "SELECT" SP mailbox [select-params]` (RFC 4466 §2.1), EXAMINE alike, with the
/// parameters of CONDSTORE (RFC 7162 §3.1.8) and QRESYNC (§3.2.5). Each at most once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Select {
    pub mailbox: Mailbox,
    pub condstore: bool,
    pub qresync: Option<Qresync>,
}

impl Select {
    /// Plain RFC 3501 SELECT/EXAMINE of `mailbox`.
    pub fn plain(mailbox: Mailbox) -> Self {
        Select {
            mailbox,
            condstore: false,
            qresync: None,
        }
    }
}

/// `"QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"`
/// (RFC 7162 §7). Neither UID set may hold `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Qresync {
    pub uid_validity: NonZeroU32,
    pub mod_seq: ModSeq,
    pub known_uids: Option<SequenceSet>,
    /// `seq-match-data = "(" known-sequence-set SP known-uid-set ")"`
    pub seq_match: Option<(SequenceSet, SequenceSet)>,
}

/// `fetch = "FETCH" SP sequence-set SP (…)`, optionally `UID`, with CONDSTORE's
/// `(CHANGEDSINCE n)` modifier and QRESYNC's `VANISHED` (only with both UID and CHANGEDSINCE:
/// RFC 7162 §3.2.6 makes anything else a BAD, so such a command does not parse).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fetch {
    pub uid: bool,
    pub set: SequenceSet,
    pub items: FetchItems,
    pub changed_since: Option<ModSeq>,
    pub vanished: bool,
}

/// `store = "STORE" SP sequence-set SP store-att-flags`, optionally `UID`, with CONDSTORE's
/// `(UNCHANGEDSINCE n)` modifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Store {
    pub uid: bool,
    pub set: SequenceSet,
    pub unchanged_since: Option<ModSeqValzer>,
    pub mode: StoreMode,
    /// `.SILENT`: the server need not answer with FETCH.
    pub silent: bool,
    /// Always sent as a `flag-list`; may be empty (`FLAGS ()` clears every flag).
    pub flags: Vec<Flag>,
}

/// `["+" / "-"] "FLAGS"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreMode {
    Replace,
    Add,
    Remove,
}

/// An experimental command: name `X…`, arguments passed through as raw line bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Experimental {
    name: Atom,
    arguments: Vec<u8>,
}

impl Experimental {
    /// `arguments` is the rest of the line after the name and SP (empty: no arguments). It
    /// must not hold CR, LF or NUL, and must not end in `}`: a trailing `{n}` would announce
    /// a literal the command does not carry.
    pub fn new(name: Atom, arguments: impl Into<Vec<u8>>) -> Result<Self, ValueError> {
        let first = name.as_str().as_bytes()[0];
        if !first.eq_ignore_ascii_case(&b'X') || name.as_str().len() < 2 {
            return Err(ValueError::NotExperimental {
                name: name.as_str().to_owned(),
            });
        }
        let arguments = arguments.into();
        check_each(&arguments, "experimental arguments", |b| {
            !matches!(b, 0 | b'\r' | b'\n')
        })?;
        if arguments.last() == Some(&b'}') {
            return Err(ValueError::ForbiddenByte {
                what: "experimental arguments (trailing literal announcement)",
                byte: b'}',
                offset: arguments.len() - 1,
            });
        }
        Ok(Self { name, arguments })
    }

    pub fn name(&self) -> &Atom {
        &self.name
    }

    pub fn arguments(&self) -> &[u8] {
        &self.arguments
    }
}

//! Encoding of each command body, in the order of `CommandBody`.

use super::extension;
use super::items::{date_time, fetch_items, flag_list, search_key, status_att};
use super::writer::Writer;
use crate::wire::command::ast::{
    Append, CommandBody, Experimental, Fetch, List, ListReturnOpt, ListSelectOpt, Search, Select,
    Store, StoreMode,
};
use crate::wire::command::auth::InitialResponse;
use crate::wire::command::mailbox::Mailbox;
use crate::wire::command::search::SearchReturnOpt;
use crate::wire::command::sequence::{SeqItem, SeqNumber, SequenceSet};
use crate::wire::command::values::IString;
use crate::wire::grammar;
use crate::wire::grammar::encode::write_sequence_set;

pub(super) fn command_body(w: &mut Writer, body: &CommandBody) {
    match body {
        CommandBody::Capability => w.raw(b"CAPABILITY"),
        CommandBody::Logout => w.raw(b"LOGOUT"),
        CommandBody::Noop => w.raw(b"NOOP"),
        CommandBody::StartTls => w.raw(b"STARTTLS"),
        CommandBody::Authenticate {
            mechanism,
            initial_response,
        } => authenticate(w, mechanism.as_str(), initial_response.as_ref()),
        CommandBody::Login { username, password } => {
            w.raw(b"LOGIN ");
            w.astring(username.as_bytes());
            w.sp();
            w.astring(password.as_bytes());
        }
        CommandBody::Select(select) => self::select(w, "SELECT", select),
        CommandBody::Examine(select) => self::select(w, "EXAMINE", select),
        CommandBody::Create(mailbox) => named(w, "CREATE", mailbox),
        CommandBody::Delete(mailbox) => named(w, "DELETE", mailbox),
        CommandBody::Rename { from, to } => {
            named(w, "RENAME", from);
            w.sp();
            self::mailbox(w, to);
        }
        CommandBody::Subscribe(mailbox) => named(w, "SUBSCRIBE", mailbox),
        CommandBody::Unsubscribe(mailbox) => named(w, "UNSUBSCRIBE", mailbox),
        CommandBody::List(list) => self::list(w, list),
        CommandBody::Lsub { reference, pattern } => {
            named(w, "LSUB", reference);
            w.sp();
            w.list_mailbox(pattern.as_bytes());
        }
        CommandBody::Status { mailbox, items } => {
            named(w, "STATUS", mailbox);
            w.sp();
            w.list(items.as_slice(), |w, att| status_att(w, *att));
        }
        CommandBody::Append(append) => self::append(w, append),
        CommandBody::Check => w.raw(b"CHECK"),
        CommandBody::Close => w.raw(b"CLOSE"),
        CommandBody::Expunge => w.raw(b"EXPUNGE"),
        CommandBody::UidExpunge(set) => {
            w.raw(b"UID EXPUNGE ");
            sequence_set(w, set);
        }
        CommandBody::Search(search) => self::search(w, search),
        CommandBody::Fetch(fetch) => self::fetch(w, fetch),
        CommandBody::Store(store) => self::store(w, store),
        CommandBody::Copy { uid, set, mailbox } => transfer(w, *uid, "COPY", set, mailbox),
        CommandBody::Move { uid, set, mailbox } => transfer(w, *uid, "MOVE", set, mailbox),
        CommandBody::Idle => w.raw(b"IDLE"),
        CommandBody::Enable(capabilities) => {
            w.raw(b"ENABLE");
            for capability in capabilities {
                w.sp();
                w.raw(capability.as_str().as_bytes());
            }
        }
        CommandBody::Unselect => w.raw(b"UNSELECT"),
        CommandBody::Namespace => w.raw(b"NAMESPACE"),
        CommandBody::Id(params) => id(w, params.as_deref()),
        CommandBody::Sort(sort) => extension::sort(w, sort),
        CommandBody::Thread(thread) => extension::thread(w, thread),
        CommandBody::GetAcl(mailbox) => named(w, "GETACL", mailbox),
        CommandBody::MyRights(mailbox) => named(w, "MYRIGHTS", mailbox),
        CommandBody::GetQuota(root) => {
            w.raw(b"GETQUOTA ");
            w.astring(root.as_bytes());
        }
        CommandBody::GetQuotaRoot(mailbox) => named(w, "GETQUOTAROOT", mailbox),
        CommandBody::GetMetadata(get) => extension::get_metadata(w, get),
        CommandBody::Experimental(x) => experimental(w, x),
    }
}

fn authenticate(w: &mut Writer, mechanism: &str, initial: Option<&InitialResponse>) {
    w.raw(b"AUTHENTICATE ");
    w.raw(mechanism.as_bytes());
    match initial {
        None => {}
        Some(InitialResponse::Empty) => w.raw(b" ="),
        Some(InitialResponse::Data(base64)) => {
            w.sp();
            w.raw(base64.as_str().as_bytes());
        }
    }
}

fn named(w: &mut Writer, name: &str, mailbox: &Mailbox) {
    w.raw(name.as_bytes());
    w.sp();
    self::mailbox(w, mailbox);
}

pub(super) fn mailbox(w: &mut Writer, mailbox: &Mailbox) {
    w.astring(mailbox.as_bytes());
}

pub(super) fn sequence_set(w: &mut Writer, set: &SequenceSet) {
    let items = set.items().iter().map(|item| match *item {
        SeqItem::Single(n) => grammar::SeqItem::Single(seq_number(n)),
        SeqItem::Range(a, b) => grammar::SeqItem::Range(seq_number(a), seq_number(b)),
    });
    let set = grammar::SequenceSet(items.collect());
    w.with_line(|line| write_sequence_set(line, &set));
}

fn seq_number(n: SeqNumber) -> grammar::SeqNumber {
    match n {
        SeqNumber::Value(v) => grammar::SeqNumber::Value(v.get()),
        SeqNumber::Largest => grammar::SeqNumber::Largest,
    }
}

fn list(w: &mut Writer, list: &List) {
    w.raw(b"LIST ");
    if !list.selection.is_empty() {
        w.list(&list.selection, |w, opt| w.raw(select_opt_name(*opt)));
        w.sp();
    }
    mailbox(w, &list.reference);
    w.sp();
    w.list_mailbox(list.pattern.as_bytes());
    if !list.return_opts.is_empty() {
        w.raw(b" RETURN ");
        w.list(&list.return_opts, return_opt);
    }
}

fn select_opt_name(opt: ListSelectOpt) -> &'static [u8] {
    match opt {
        ListSelectOpt::Subscribed => b"SUBSCRIBED",
        ListSelectOpt::Remote => b"REMOTE",
        ListSelectOpt::RecursiveMatch => b"RECURSIVEMATCH",
        ListSelectOpt::SpecialUse => b"SPECIAL-USE",
    }
}

fn return_opt(w: &mut Writer, opt: &ListReturnOpt) {
    match opt {
        ListReturnOpt::Subscribed => w.raw(b"SUBSCRIBED"),
        ListReturnOpt::Children => w.raw(b"CHILDREN"),
        ListReturnOpt::SpecialUse => w.raw(b"SPECIAL-USE"),
        ListReturnOpt::Status(items) => {
            w.raw(b"STATUS ");
            w.list(items.as_slice(), |w, att| status_att(w, *att));
        }
    }
}

fn append(w: &mut Writer, append: &Append) {
    named(w, "APPEND", &append.mailbox);
    if !append.flags.is_empty() {
        w.sp();
        flag_list(w, &append.flags);
    }
    if let Some(date) = &append.date {
        w.sp();
        date_time(w, date);
    }
    w.sp();
    w.literal(append.message.as_bytes());
}

fn uid_prefix(w: &mut Writer, uid: bool) {
    if uid {
        w.raw(b"UID ");
    }
}

fn search(w: &mut Writer, search: &Search) {
    uid_prefix(w, search.uid);
    w.raw(b"SEARCH");
    if let Some(opts) = &search.return_opts {
        w.raw(b" RETURN ");
        w.list(opts, |w, opt| w.raw(search_return_name(*opt)));
    }
    if let Some(charset) = &search.charset {
        w.raw(b" CHARSET ");
        w.astring(charset.as_str().as_bytes());
    }
    for key in &search.criteria {
        w.sp();
        search_key(w, key);
    }
}

fn search_return_name(opt: SearchReturnOpt) -> &'static [u8] {
    match opt {
        SearchReturnOpt::Min => b"MIN",
        SearchReturnOpt::Max => b"MAX",
        SearchReturnOpt::All => b"ALL",
        SearchReturnOpt::Count => b"COUNT",
        SearchReturnOpt::Save => b"SAVE",
    }
}

fn fetch(w: &mut Writer, fetch: &Fetch) {
    uid_prefix(w, fetch.uid);
    w.raw(b"FETCH ");
    sequence_set(w, &fetch.set);
    w.sp();
    fetch_items(w, &fetch.items);
    match (fetch.changed_since, fetch.vanished) {
        (Some(modseq), vanished) => {
            w.raw(b" (CHANGEDSINCE ");
            w.number(modseq.get());
            w.raw(if vanished {
                b" VANISHED)" as &[u8]
            } else {
                b")"
            });
        }
        (None, true) => w.raw(b" (VANISHED)"),
        (None, false) => {}
    }
}

/// `SELECT mailbox [SP "(" select-param *(SP select-param) ")"]`, CONDSTORE first.
fn select(w: &mut Writer, name: &str, select: &Select) {
    named(w, name, &select.mailbox);
    let qresync = select.qresync.as_ref();
    if !select.condstore && qresync.is_none() {
        return;
    }
    w.raw(b" (");
    if select.condstore {
        w.raw(b"CONDSTORE");
        if qresync.is_some() {
            w.sp();
        }
    }
    if let Some(q) = qresync {
        w.raw(b"QRESYNC (");
        w.number(u64::from(q.uid_validity.get()));
        w.sp();
        w.number(q.mod_seq.get());
        if let Some(uids) = &q.known_uids {
            w.sp();
            sequence_set(w, uids);
        }
        if let Some((seqs, uids)) = &q.seq_match {
            w.raw(b" (");
            sequence_set(w, seqs);
            w.sp();
            sequence_set(w, uids);
            w.raw(b")");
        }
        w.raw(b")");
    }
    w.raw(b")");
}

fn store(w: &mut Writer, store: &Store) {
    uid_prefix(w, store.uid);
    w.raw(b"STORE ");
    sequence_set(w, &store.set);
    if let Some(modseq) = store.unchanged_since {
        w.raw(b" (UNCHANGEDSINCE ");
        w.number(modseq.get());
        w.raw(b")");
    }
    w.raw(match store.mode {
        StoreMode::Replace => b" FLAGS",
        StoreMode::Add => b" +FLAGS",
        StoreMode::Remove => b" -FLAGS",
    });
    if store.silent {
        w.raw(b".SILENT");
    }
    w.sp();
    flag_list(w, &store.flags);
}

fn transfer(w: &mut Writer, uid: bool, name: &str, set: &SequenceSet, mailbox: &Mailbox) {
    uid_prefix(w, uid);
    w.raw(name.as_bytes());
    w.sp();
    sequence_set(w, set);
    w.sp();
    self::mailbox(w, mailbox);
}

fn id(w: &mut Writer, params: Option<&[(IString, Option<IString>)]>) {
    w.raw(b"ID ");
    let Some(params) = params else {
        w.raw(b"NIL");
        return;
    };
    w.list(params, |w, (key, value)| {
        w.string(key.as_bytes());
        w.sp();
        w.nstring(value.as_ref().map(IString::as_bytes));
    });
}

fn experimental(w: &mut Writer, x: &Experimental) {
    w.raw(x.name().as_str().as_bytes());
    if !x.arguments().is_empty() {
        w.sp();
        w.raw(x.arguments());
    }
}

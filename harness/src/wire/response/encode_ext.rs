//! Encoding of the extension responses (ENABLED is with the core data).

use crate::wire::grammar::encode::{
    write_nstring, write_number, write_paren_list, write_raw, write_sequence_set, write_spaced,
};

use super::ast::*;
use super::encode::{write_delimiter, write_labelled_number, write_str};

pub(super) fn write_extension_data(out: &mut Vec<u8>, d: &Data<'_>) {
    match d {
        Data::Namespace(ns) => {
            out.extend_from_slice(b"NAMESPACE ");
            write_namespace(out, &ns.personal);
            out.push(b' ');
            write_namespace(out, &ns.other);
            out.push(b' ');
            write_namespace(out, &ns.shared);
        }
        Data::Id(params) => {
            out.extend_from_slice(b"ID ");
            match params {
                None => out.extend_from_slice(b"NIL"),
                Some(params) => write_paren_list(out, params, |o, (k, v)| {
                    write_str(o, k);
                    o.push(b' ');
                    write_nstring(o, v);
                }),
            }
        }
        Data::Esearch(e) => write_esearch(out, e),
        Data::Vanished { earlier, uids } => {
            out.extend_from_slice(if *earlier {
                b"VANISHED (EARLIER) "
            } else {
                b"VANISHED "
            });
            write_sequence_set(out, uids);
        }
        Data::Thread(threads) => {
            out.extend_from_slice(b"THREAD");
            if !threads.is_empty() {
                out.push(b' ');
                for t in threads {
                    write_thread(out, t);
                }
            }
        }
        Data::Extension { name, rest } => {
            out.extend_from_slice(name.as_bytes());
            if let Some(rest) = rest {
                out.push(b' ');
                write_raw(out, rest);
            }
        }
        // The core data is written by `encode::write_data`, which never sends it here.
        _ => {}
    }
}

fn write_namespace(out: &mut Vec<u8>, ns: &Option<Vec<NamespaceDesc<'_>>>) {
    let Some(descs) = ns else {
        return out.extend_from_slice(b"NIL");
    };
    out.push(b'(');
    for d in descs {
        out.push(b'(');
        write_str(out, &d.prefix);
        out.push(b' ');
        write_delimiter(out, d.delimiter);
        for (name, values) in &d.extensions {
            out.push(b' ');
            write_str(out, name);
            out.push(b' ');
            write_paren_list(out, values, write_str);
        }
        out.push(b')');
    }
    out.push(b')');
}

fn write_esearch(out: &mut Vec<u8>, e: &Esearch<'_>) {
    out.extend_from_slice(b"ESEARCH");
    if let Some(tag) = &e.tag {
        out.extend_from_slice(b" (TAG ");
        write_str(out, tag);
        out.push(b')');
    }
    if e.uid {
        out.extend_from_slice(b" UID");
    }
    for item in &e.items {
        out.push(b' ');
        let (word, n): (&[u8], u64) = match item {
            EsearchItem::Min(n) => (b"MIN ", u64::from(*n)),
            EsearchItem::Max(n) => (b"MAX ", u64::from(*n)),
            EsearchItem::Count(n) => (b"COUNT ", u64::from(*n)),
            EsearchItem::ModSeq(n) => (b"MODSEQ ", *n),
            EsearchItem::All(set) => {
                out.extend_from_slice(b"ALL ");
                write_sequence_set(out, set);
                continue;
            }
            EsearchItem::Other { name, value } => {
                out.extend_from_slice(name.as_bytes());
                out.push(b' ');
                write_raw(out, value);
                continue;
            }
        };
        write_labelled_number(out, word, n);
    }
}

fn write_thread(out: &mut Vec<u8>, t: &Thread) {
    out.push(b'(');
    write_spaced(out, &t.members, |o, m| write_number(o, u64::from(*m)));
    if !t.members.is_empty() && !t.children.is_empty() {
        out.push(b' ');
    }
    for c in &t.children {
        write_thread(out, c);
    }
    out.push(b')');
}

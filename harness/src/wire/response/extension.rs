//! Extension data that servers send once they advertise a capability: ENABLED (RFC 5161),
//! NAMESPACE (RFC 2342), ID (RFC 2971), ESEARCH (RFC 4731), VANISHED (RFC 7162),
//! SORT/THREAD (RFC 5256), and the generic `tagged-ext-val` of RFC 4466.

use crate::wire::grammar::{
    Bytes, GrammarError, Key, PResult, after_sp, astring, atom, byte, ctx, fail, is_nil, keyword,
    list_rest, mod_sequence_value, nstring, number, nz_number, sequence_set, sp, string, uid_set,
};

use super::MAX_DEPTH;
use super::ast::{Esearch, EsearchItem, NamespaceDesc, Namespaces, Thread};
use super::mailbox_data::delimiter;

/// The bytes `i` advanced over to reach `rest`, as a borrowed value.
fn consumed<'a>(i: &'a [u8], rest: &'a [u8]) -> Bytes<'a> {
    Bytes::borrowed(&i[..i.len() - rest.len()])
}

/// Fails when nesting goes past [`MAX_DEPTH`], so hostile input cannot overflow the stack.
fn check_depth<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, (), E> {
    if depth > MAX_DEPTH {
        return fail(
            i,
            "at most 32 levels of parenthesised nesting (harness limit)",
        );
    }
    Ok((i, ()))
}

/// `tagged-ext-val = tagged-ext-simple / "(" [tagged-ext-comp] ")"` (RFC 4466), kept raw.
///
/// `tagged-ext-simple = sequence-set / number / number64`
pub(crate) fn tagged_ext_val<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    let r = match i.first() {
        Some(b'(') => ctx("tagged-ext-val", i, ext_comp_paren(i, 0, true))?.0,
        Some(b'0') => ctx("tagged-ext-simple", i, mod_sequence_value(i))?.0,
        _ => ctx("tagged-ext-simple", i, sequence_set(i))?.0,
    };
    Ok((r, consumed(i, r)))
}

/// `"(" tagged-ext-comp ")"`; `tagged-ext-comp = astring / tagged-ext-comp *(SP
/// tagged-ext-comp) / "(" tagged-ext-comp ")"`. Empty only at the top (`allow_empty`).
fn ext_comp_paren<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    depth: usize,
    allow_empty: bool,
) -> PResult<'a, (), E> {
    let (r, ()) = check_depth(i, depth)?;
    let (r, ()) = byte(r, b'(', "\"(\"")?;
    let (r, _) = list_rest(r, allow_empty, Vec::new(), |r| match r.first() {
        Some(b'(') => ext_comp_paren(r, depth + 1, false),
        _ => ctx("tagged-ext-comp", r, astring(r)).map(|(r, _)| (r, ())),
    })?;
    Ok((r, ()))
}

/// The value of an unknown FETCH item: `nstring / number / "(" ... ")"`, kept raw.
/// Inside the parentheses anything the grammar can carry (astring, nstring, nested
/// lists) is accepted, which covers `EMAILID (M1a2b)` and `SAVEDATE "..."`.
pub(crate) fn generic_value<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Bytes<'a>, E> {
    let r = match i.first() {
        Some(b'(') => generic_list(i, 0)?.0,
        Some(c) if c.is_ascii_digit() => number(i)?.0,
        _ => nstring(i)?.0,
    };
    Ok((r, consumed(i, r)))
}

fn generic_list<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, (), E> {
    let (r, ()) = check_depth(i, depth)?;
    let (r, ()) = byte(r, b'(', "\"(\"")?;
    let (r, _) = list_rest(r, true, Vec::new(), |r| match r.first() {
        Some(b'(') => generic_list(r, depth + 1),
        _ => astring(r).map(|(r, _)| (r, ())),
    })?;
    Ok((r, ()))
}

/// `Namespace SP Namespace SP Namespace`, after `"NAMESPACE" SP` (RFC 2342 §5)
pub(crate) fn namespaces<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Namespaces<'a>, E> {
    let (r, personal) = ctx("Namespace", i, namespace(i))?;
    let (r, ()) = sp(r)?;
    let (r, other) = ctx("Namespace", r, namespace(r))?;
    let (r, ()) = sp(r)?;
    let (r, shared) = ctx("Namespace", r, namespace(r))?;
    Ok((
        r,
        Namespaces {
            personal,
            other,
            shared,
        },
    ))
}

/// `Namespace = nil / "(" 1*( "(" string SP (<"> QUOTED_CHAR <"> / nil)
/// *(Namespace_Response_Extension) ")" ) ")"`
fn namespace<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, Option<Vec<NamespaceDesc<'a>>>, E> {
    if is_nil(i) {
        return Ok((&i[3..], None));
    }
    let (mut r, ()) = byte(i, b'(', "\"(\" or NIL")?;
    let mut descs = Vec::new();
    loop {
        let (next, desc) = namespace_desc(r)?;
        descs.push(desc);
        r = next;
        if let Some(after) = r.strip_prefix(b")") {
            return Ok((after, Some(descs)));
        }
    }
}

fn namespace_desc<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, NamespaceDesc<'a>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    let (r, prefix) = string(r)?;
    let (r, ()) = sp(r)?;
    let (mut r, delimiter) = delimiter(r)?;
    let mut extensions = Vec::new();
    while let Some(next) = after_sp(r) {
        // Namespace_Response_Extension = SP string SP "(" string *(SP string) ")"
        let (next, name) = ctx("Namespace_Response_Extension", next, string(next))?;
        let (next, ()) = sp(next)?;
        let (next, values) = string_list(next)?;
        extensions.push((name, values));
        r = next;
    }
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((
        r,
        NamespaceDesc {
            prefix,
            delimiter,
            extensions,
        },
    ))
}

/// `"(" string *(SP string) ")"`
pub(crate) fn string_list<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Bytes<'a>>, E> {
    let (r, ()) = byte(i, b'(', "\"(\"")?;
    list_rest(r, false, Vec::new(), string)
}

/// `esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`,
/// after the word ESEARCH (RFC 4731 §3.1, RFC 7162's MODSEQ item)
pub(crate) fn esearch<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Esearch<'a>, E> {
    ctx("esearch-response", i, esearch_inner(i))
}

fn esearch_inner<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Esearch<'a>, E> {
    let mut r = i;
    let mut tag = None;
    if let Some(next) = after_sp(r).filter(|n| n.first() == Some(&b'(')) {
        // search-correlator = SP "(" "TAG" SP tag-string ")"
        let (next, ()) = ctx(
            "search-correlator",
            next,
            keyword(next, b"(TAG ", "\"(TAG\" SP"),
        )?;
        let (next, t) = ctx("tag-string", next, string(next))?;
        (r, ()) = byte(next, b')', "\")\"")?;
        tag = Some(t);
    }
    let mut out = Esearch {
        tag,
        uid: false,
        items: Vec::new(),
    };
    while let Some(next) = after_sp(r) {
        let (after, name) = ctx("search-return-data", next, atom(next))?;
        let key = Key::new(name);
        if key.as_bytes() == b"UID" && !out.uid && out.items.is_empty() {
            out.uid = true;
            r = after;
            continue;
        }
        let (after, ()) = sp(after)?;
        let (after, item) = ctx("search-return-data", next, esearch_item(after, key, name))?;
        out.items.push(item);
        r = after;
    }
    Ok((r, out))
}

fn esearch_item<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    key: Key,
    name: &'a [u8],
) -> PResult<'a, EsearchItem<'a>, E> {
    match key.as_bytes() {
        b"MIN" => nz_number(i).map(|(r, n)| (r, EsearchItem::Min(n))),
        b"MAX" => nz_number(i).map(|(r, n)| (r, EsearchItem::Max(n))),
        b"COUNT" => number(i).map(|(r, n)| (r, EsearchItem::Count(n))),
        b"ALL" => sequence_set(i).map(|(r, s)| (r, EsearchItem::All(s))),
        b"MODSEQ" => mod_sequence_value(i).map(|(r, n)| (r, EsearchItem::ModSeq(n))),
        _ => tagged_ext_val(i).map(|(r, value)| {
            (
                r,
                EsearchItem::Other {
                    name: Bytes::borrowed(name),
                    value,
                },
            )
        }),
    }
}

/// `"VANISHED" [SP "(EARLIER)"] SP known-uids`, after the word VANISHED (RFC 7162 §7)
pub(crate) fn vanished<'a, E: GrammarError<'a>>(
    i: &'a [u8],
) -> PResult<'a, (bool, crate::wire::grammar::SequenceSet), E> {
    let (mut r, ()) = sp(i)?;
    let earlier = r.first() == Some(&b'(');
    if earlier {
        (r, ()) = keyword(r, b"(EARLIER)", "\"(EARLIER)\"")?;
        (r, ()) = sp(r)?;
    }
    let (r, uids) = ctx("known-uids", r, uid_set(r))?;
    Ok((r, (earlier, uids)))
}

/// `"THREAD" [SP 1*thread-list]`, after the word THREAD (RFC 5256 §5)
pub(crate) fn threads<'a, E: GrammarError<'a>>(i: &'a [u8]) -> PResult<'a, Vec<Thread>, E> {
    let Some(mut r) = after_sp(i) else {
        return Ok((i, Vec::new()));
    };
    let mut out = Vec::new();
    loop {
        let (next, t) = thread_list(r, 0)?;
        out.push(t);
        r = next;
        if r.first() != Some(&b'(') {
            return Ok((r, out));
        }
    }
}

/// `thread-list = "(" (thread-members / thread-nested) ")"`
fn thread_list<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, Thread, E> {
    ctx("thread-list", i, thread_list_inner(i, depth))
}

fn thread_list_inner<'a, E: GrammarError<'a>>(i: &'a [u8], depth: usize) -> PResult<'a, Thread, E> {
    let (r, ()) = check_depth(i, depth)?;
    let (mut r, ()) = byte(r, b'(', "\"(\"")?;
    let mut thread = Thread {
        members: Vec::new(),
        children: Vec::new(),
    };
    if r.first() != Some(&b'(') {
        // thread-members = nz-number *(SP nz-number) [SP thread-nested]
        loop {
            let (next, n) = nz_number(r)?;
            thread.members.push(n);
            r = next;
            match after_sp(r) {
                Some(next) if next.first() == Some(&b'(') => {
                    r = next;
                    break;
                }
                Some(next) => r = next,
                None => return byte(r, b')', "SP or \")\"").map(|(r, ())| (r, thread)),
            }
        }
    }
    // thread-nested = 2*thread-list
    let nested = r;
    while r.first() == Some(&b'(') {
        let (next, child) = thread_list(r, depth + 1)?;
        thread.children.push(child);
        r = next;
    }
    if thread.children.len() < 2 {
        return ctx(
            "thread-nested",
            nested,
            fail(r, "thread-list (thread-nested = 2*thread-list)"),
        );
    }
    let (r, ()) = byte(r, b')', "\")\"")?;
    Ok((r, thread))
}

//! `id-params-list` of the ID extension (RFC 2971), which clients and servers both send.

use super::string::{Bytes, NString, Sender, nstring_from, string_from};
use super::{GrammarError, PResult, byte, ctx, is_nil, list_rest, nil, sp};

/// `id-params-list`: `None` for `NIL`, else the field / value pairs in wire order.
pub type IdParams<'a> = Option<Vec<(Bytes<'a>, NString<'a>)>>;

/// `id-params-list = "(" #(string SP nstring) ")" / nil` (RFC 2971 §4); `sender` says
/// which literals the strings may use.
pub fn id_params_list<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, IdParams<'a>, E> {
    ctx("id-params-list", i, id_params_inner(i, sender))
}

fn id_params_inner<'a, E: GrammarError<'a>>(
    i: &'a [u8],
    sender: Sender,
) -> PResult<'a, IdParams<'a>, E> {
    if is_nil(i) {
        return nil(i).map(|(r, ())| (r, None));
    }
    let (r, ()) = byte(i, b'(', "\"(\" or NIL")?;
    let (r, params) = list_rest(r, true, Vec::new(), |r| {
        let (r, field) = string_from(r, sender)?;
        let (r, ()) = sp(r)?;
        let (r, value) = nstring_from(r, sender)?;
        Ok((r, (field, value)))
    })?;
    Ok((r, Some(params)))
}

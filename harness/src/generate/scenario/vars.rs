//! Variables: predefined ones (`$mailbox`, `$user`, …), those bound from server input
//! (`$uid1`), `$` (anything), and `$n`, the current number of the message that was number n
//! when the command group started (renumbered as EXPUNGEs arrive).

use std::collections::HashMap;

/// Variable values and the group's sequence map.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    values: HashMap<Vec<u8>, Vec<u8>>,
    /// Initial sequence number - 1 → current number (0 = expunged).
    seqmap: Vec<u32>,
}

/// What `$n` stands for when message n is gone or was never there.
const EXPUNGED: &[u8] = b"<expunged>";
const OUT_OF_RANGE: &[u8] = b"<out of range>";

impl Vars {
    pub fn set(&mut self, name: &str, value: impl Into<Vec<u8>>) {
        self.values.insert(name.as_bytes().to_vec(), value.into());
    }

    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.values.get(name).map(Vec::as_slice)
    }

    pub fn bind(&mut self, name: &[u8], value: &[u8]) {
        self.values.insert(name.to_vec(), value.to_vec());
    }

    pub fn unbind(&mut self, name: &[u8]) {
        self.values.remove(name);
    }

    /// Start a group on a connection that knows `exists` messages.
    pub fn reset_seqmap(&mut self, exists: u32) {
        self.seqmap = (1..=exists).collect();
    }

    /// `* seq EXPUNGE` arrived: renumber. Numbers beyond the initial count are ignored (they
    /// may come after an EXISTS).
    pub fn expunge(&mut self, seq: u32) {
        let Some(first) = (seq as usize).checked_sub(1) else {
            return;
        };
        if first >= self.seqmap.len() {
            return;
        }
        for current in &mut self.seqmap[first..] {
            if *current == seq {
                *current = 0;
            } else if *current > seq {
                *current -= 1;
            }
        }
    }

    /// The value of `$n`.
    pub fn relative_seq(&self, n: u32) -> Vec<u8> {
        match n.checked_sub(1).and_then(|i| self.seqmap.get(i as usize)) {
            None if n == 0 => b"<zero seq>".to_vec(),
            None => OUT_OF_RANGE.to_vec(),
            Some(0) => EXPUNGED.to_vec(),
            Some(current) => current.to_string().into_bytes(),
        }
    }

    /// Expand a command's text. An unbound variable is an error naming it; `$$` is `$`;
    /// `$!directives` are dropped.
    pub fn expand_command(&self, text: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            if text[i] != b'$' || i + 1 == text.len() {
                out.push(text[i]);
                i += 1;
                continue;
            }
            i += 1;
            match text[i] {
                b'$' => {
                    out.push(b'$');
                    i += 1;
                }
                b'!' => {
                    while i < text.len() && text[i] != b' ' {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    let (name, next) = var_name(text, i)?;
                    out.extend_from_slice(&self.value_for_command(name)?);
                    i = next;
                }
            }
        }
        Ok(out)
    }

    /// A pattern with its bound variables shown, for failure messages (unbound ones stay).
    pub fn expand_lenient(&self, text: &[u8]) -> String {
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            let next = (text[i] == b'$')
                .then(|| var_name(text, i + 1).ok())
                .flatten()
                .filter(|(name, _)| !name.is_empty());
            match next {
                Some((name, end)) => {
                    match self.value_for_command(name) {
                        Ok(v) => out.extend_from_slice(&v),
                        Err(_) => out.extend_from_slice(&text[i..end]),
                    }
                    i = end;
                }
                None => {
                    out.push(text[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn value_for_command(&self, name: &[u8]) -> Result<Vec<u8>, String> {
        if let Some(n) = seq_number(name) {
            return Ok(self.relative_seq(n));
        }
        self.get(name)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| format!("Uninitialized variable: {}", String::from_utf8_lossy(name)))
    }
}

/// The name starting at `at` (just after `$`): `{name}` or a run of letters, digits and `_`;
/// and where the text continues.
pub fn var_name(text: &[u8], at: usize) -> Result<(&[u8], usize), String> {
    if text.get(at) == Some(&b'{') {
        let close = text[at..]
            .iter()
            .position(|&b| b == b'}')
            .ok_or("Missing '}'")?;
        return Ok((&text[at + 1..at + close], at + close + 1));
    }
    let end = text[at..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .map_or(text.len(), |p| at + p);
    Ok((&text[at..end], end))
}

/// `$3` names relative sequence 3.
pub fn seq_number(name: &[u8]) -> Option<u32> {
    if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_expand_variables_dollars_and_relative_sequences() {
        let mut v = Vars::default();
        v.set("mailbox", "box");
        v.set("uid1", "7");
        v.reset_seqmap(4);
        v.expunge(2);
        let got = v
            .expand_command(b"uid store $uid1,$2,$3 +flags ($$kw) ${mailbox}2")
            .unwrap();
        assert_eq!(got, b"uid store 7,<expunged>,2 +flags ($kw) box2".to_vec());
        assert_eq!(
            v.expand_command(b"fetch $nope").unwrap_err(),
            "Uninitialized variable: nope"
        );
    }

    #[test]
    fn expunges_renumber_like_a_client_view() {
        let mut v = Vars::default();
        v.reset_seqmap(3);
        v.expunge(1);
        assert_eq!(v.relative_seq(3), b"2".to_vec());
        v.expunge(2);
        assert_eq!(v.relative_seq(3), EXPUNGED.to_vec());
        assert_eq!(v.relative_seq(2), b"1".to_vec());
        v.expunge(9);
        assert_eq!(v.relative_seq(4), OUT_OF_RANGE.to_vec());
    }
}

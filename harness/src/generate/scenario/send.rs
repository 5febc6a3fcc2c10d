//! Turning a script command into bytes: variables expanded outside literals (literal data is
//! sent exactly as written, its length recomputed), and imaptest's APPEND shorthand — an
//! APPEND without a message body appends the fixture's next message.

use super::args::{Arg, literal_header, tokenize};
use super::mbox::Mbox;
use super::vars::Vars;

/// A piece of a command: text, or a literal whose header we write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Text(Vec<u8>),
    Literal {
        data: Vec<u8>,
        /// `~{n}` (literal8).
        binary: bool,
        /// `{n+}`: sent without waiting for `+`.
        nonsync: bool,
    },
}

/// Split command text at its literals (`{n}\r\n` + n bytes).
pub fn split_literals(text: &[u8]) -> Vec<Part> {
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < text.len() {
        let Some((len, data_at)) = literal_header(text, i) else {
            i += 1;
            continue;
        };
        let end = (data_at + len).min(text.len());
        parts.push(Part::Text(text[start..i].to_vec()));
        parts.push(Part::Literal {
            data: text[data_at..end].to_vec(),
            binary: text[i] == b'~',
            nonsync: text[..data_at].ends_with(b"+}\r\n"),
        });
        start = end;
        i = end;
    }
    parts.push(Part::Text(text[start..].to_vec()));
    parts
}

/// Expand variables in the text parts.
pub fn expand(parts: Vec<Part>, vars: &Vars) -> Result<Vec<Part>, String> {
    parts
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => vars.expand_command(&t).map(Part::Text),
            lit => Ok(lit),
        })
        .collect()
}

/// imaptest's APPEND shorthand: `append` alone appends the next fixture message to the test
/// mailbox with the fixture's date; `append MAILBOX [(flags)] ["date"]` without a body
/// appends it there as written. Anything else is returned unchanged.
pub fn append_shorthand(
    parts: Vec<Part>,
    mbox: &mut Option<Mbox>,
    mailbox: &str,
) -> Result<Vec<Part>, String> {
    let [Part::Text(text)] = parts.as_slice() else {
        return Ok(parts);
    };
    let (word, rest) = match text.iter().position(|&b| b == b' ') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (&text[..], &b""[..]),
    };
    if !word.eq_ignore_ascii_case(b"append") || (!rest.is_empty() && has_body(rest)) {
        return Ok(parts);
    }
    let mbox = mbox
        .as_mut()
        .ok_or("APPEND without a body needs the scenario's .mbox fixture")?;
    let message = mbox.next_message().clone();
    let mut head = b"APPEND ".to_vec();
    if rest.is_empty() {
        head.extend_from_slice(format!("\"{mailbox}\"").as_bytes());
        if let Some(date) = &message.date {
            head.extend_from_slice(format!(" \"{date}\"").as_bytes());
        }
    } else {
        head.extend_from_slice(rest);
    }
    head.push(b' ');
    Ok(vec![
        Part::Text(head),
        Part::Literal {
            data: message.data,
            binary: false,
            nonsync: false,
        },
        Part::Text(Vec::new()),
    ])
}

/// `mailbox [(flags)] ["date"]` followed by a literal or CATENATE.
fn has_body(args: &[u8]) -> bool {
    let a = tokenize(args);
    let mut i = 1;
    if matches!(a.get(i), Some(Arg::List(_))) {
        i += 1;
    }
    if matches!(a.get(i), Some(Arg::Quoted(_))) {
        i += 1;
    }
    matches!(a.get(i), Some(Arg::Literal(_))) || a.get(i).is_some_and(|x| x.is_atom("catenate"))
}

/// The bytes of a literal's header.
pub fn literal_head(len: usize, binary: bool, nonsync: bool) -> Vec<u8> {
    let tilde = if binary { "~" } else { "" };
    let plus = if nonsync { "+" } else { "" };
    format!("{tilde}{{{len}{plus}}}\r\n").into_bytes()
}

/// The command's first word, for reports and state tracking.
pub fn command_word(parts: &[Part]) -> String {
    let Some(Part::Text(t)) = parts.first() else {
        return String::new();
    };
    let mut words = t.split(|&b| b == b' ');
    let first = words.next().unwrap_or_default();
    let word = if first.eq_ignore_ascii_case(b"uid") {
        let second = words.next().unwrap_or_default();
        [first, b" ", second].concat()
    } else {
        first.to_vec()
    };
    String::from_utf8_lossy(&word).to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_split_out_and_kept_verbatim() {
        let parts = split_literals(b"append x {3}\r\n$ab ~{1+}\r\nz)");
        assert_eq!(
            parts,
            vec![
                Part::Text(b"append x ".to_vec()),
                Part::Literal {
                    data: b"$ab".to_vec(),
                    binary: false,
                    nonsync: false
                },
                Part::Text(b" ".to_vec()),
                Part::Literal {
                    data: b"z".to_vec(),
                    binary: true,
                    nonsync: true
                },
                Part::Text(b")".to_vec()),
            ]
        );
        let mut v = Vars::default();
        v.set("x", "box");
        assert!(expand(parts, &v).is_ok(), "$ inside a literal is data");
    }

    #[test]
    fn append_with_or_without_a_body() {
        assert!(has_body(b"box (\\seen) {3}\r\nabc"));
        assert!(has_body(b"box catenate (url \"/x\")"));
        assert!(!has_body(b"box (\\seen \\flagged)"));
        assert!(!has_body(b"box"));
        assert_eq!(command_word(&split_literals(b"uid fetch 1 x")), "UID FETCH");
    }
}

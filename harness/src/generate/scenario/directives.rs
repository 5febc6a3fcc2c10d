//! List directives (`$!ordered`, `$!unordered[=n]`, `$!noextra`, `$!extra`, `$!ignore=e`,
//! `$!ban=e`): validated when a pattern is parsed, and the per-reply defaults inserted into
//! lists that name none, as imaptest does:
//!
//! * `n FETCH ($!unordered=2 …)` and in it `FLAGS ($!unordered $!noextra $!ignore=\recent …)`
//! * `LIST ($!unordered) …`, `LSUB ($!unordered) …`
//! * `STATUS mailbox ($!unordered=2 …)`

use super::args::Arg;
use super::parse::reply_name;

/// The directives of one list, read from its leading `$!` atoms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    pub unordered: bool,
    /// Elements per chain (`$!unordered=2`: name/value pairs).
    pub chain: usize,
    /// Every input element must be matched (the default unless `$!unordered` is given).
    pub noextra: bool,
    pub ignore: Vec<Vec<u8>>,
    pub ban: Vec<Vec<u8>>,
    /// How many leading elements were directives.
    pub count: usize,
}

/// Read the directives at the start of `list`; an unknown one is an error.
pub fn read(list: &[Arg]) -> Result<Directives, String> {
    let mut d = Directives {
        chain: 1,
        ..Directives::default()
    };
    let mut noextra = None;
    for arg in list {
        let Some(word) = arg.atom().and_then(|a| a.strip_prefix(b"$!")) else {
            break;
        };
        d.count += 1;
        if let Some(rest) = word.strip_prefix(b"unordered") {
            d.unordered = true;
            noextra.get_or_insert(false);
            match rest {
                b"" => {}
                [b'=', n @ ..] => d.chain = chain_size(n)?,
                _ => return Err("Broken $!unordered directive".into()),
            }
        } else if word == b"ordered" {
            d.unordered = false;
        } else if word == b"extra" {
            noextra = Some(false);
        } else if word == b"noextra" {
            noextra = Some(true);
        } else if let Some(e) = word.strip_prefix(b"ignore=") {
            d.ignore.push(e.to_vec());
        } else if let Some(e) = word.strip_prefix(b"ban=") {
            d.ban.push(e.to_vec());
        } else {
            return Err(format!(
                "Unknown directive: $!{}",
                String::from_utf8_lossy(word)
            ));
        }
    }
    d.noextra = noextra.unwrap_or(true);
    Ok(d)
}

fn chain_size(digits: &[u8]) -> Result<usize, String> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| "Broken $!unordered directive".into())
}

/// Validate every list of an untagged pattern and insert the default directives.
pub fn expand_defaults(pattern: &mut [Arg]) -> Result<(), String> {
    let name = reply_name(pattern).to_ascii_lowercase();
    walk(pattern, &name, &[])
}

/// Where a list sits: the index of each enclosing list in its parent, outermost first, and
/// the atom just before it.
fn walk(args: &mut [Arg], name: &[u8], path: &[usize]) -> Result<(), String> {
    let mut prev_atom: Option<Vec<u8>> = None;
    for i in 0..args.len() {
        if let Some(a) = args[i].atom() {
            prev_atom = Some(a.to_ascii_lowercase());
        }
        let Arg::List(items) = &mut args[i] else {
            continue;
        };
        let d = read(items)?;
        let mut here = path.to_vec();
        here.push(i);
        if d.count == 0 {
            let defaults = defaults(name, &here, prev_atom.as_deref());
            items.splice(
                0..0,
                defaults.iter().map(|s| Arg::Atom(s.as_bytes().to_vec())),
            );
        } else if (items.len() - d.count) % d.chain != 0 {
            return Err(format!(
                "Invalid list argument count, chain size={}",
                d.chain
            ));
        }
        walk(items, name, &here)?;
    }
    Ok(())
}

/// The default directives for a list at `path` (indexes from the top level) in reply `name`.
fn defaults(name: &[u8], path: &[usize], prev_atom: Option<&[u8]>) -> &'static [&'static str] {
    match (name, path) {
        (b"list" | b"lsub", [1]) => &["$!unordered"],
        (b"status" | b"fetch", [2]) => &["$!unordered=2"],
        (b"fetch", [2, _]) if prev_atom == Some(b"flags") => &[
            "$!unordered",
            "$!noextra",
            "$!ignore=\\recent",
            "$!ignore=$HasAttachment",
            "$!ignore=$HasNoAttachment",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::scenario::args::{render, tokenize};

    fn expanded(text: &str) -> String {
        let mut p = tokenize(text.as_bytes());
        expand_defaults(&mut p).unwrap();
        render(&p)
    }

    #[test]
    fn fetch_status_list_defaults() {
        assert_eq!(
            expanded("1 fetch (uid 1 flags (\\seen))"),
            "1 fetch ($!unordered=2 uid 1 flags ($!unordered $!noextra $!ignore=\\recent \
             $!ignore=$HasAttachment $!ignore=$HasNoAttachment \\seen))"
        );
        assert_eq!(
            expanded("status x (messages 1)"),
            "status x ($!unordered=2 messages 1)"
        );
        assert_eq!(expanded("list () / x"), "list ($!unordered) / x");
        assert_eq!(expanded("$2 FETCH (x y)"), "$2 FETCH ($!unordered=2 x y)");
    }

    #[test]
    fn explicit_directives_replace_the_defaults_of_that_list_only() {
        assert_eq!(
            expanded("1 fetch (flags ($!extra))"),
            "1 fetch ($!unordered=2 flags ($!extra))"
        );
    }

    #[test]
    fn reading_directives() {
        let list = tokenize(b"$!unordered=2 $!noextra $!ignore=a $!ban=b x y");
        let d = read(&list).unwrap();
        assert!(d.unordered && d.noextra);
        assert_eq!((d.chain, d.count), (2, 4));
        assert_eq!(
            (d.ignore, d.ban),
            (vec![b"a".to_vec()], vec![b"b".to_vec()])
        );
        assert!(!read(&tokenize(b"$!unordered")).unwrap().noextra);
        assert!(read(&tokenize(b"x")).unwrap().noextra);
    }

    #[test]
    fn bad_directives_are_errors() {
        let mut p = tokenize(b"1 fetch ($!sorted x)");
        assert_eq!(
            expand_defaults(&mut p).unwrap_err(),
            "Unknown directive: $!sorted"
        );
        let mut p = tokenize(b"1 fetch ($!unordered=2 x)");
        assert!(
            expand_defaults(&mut p)
                .unwrap_err()
                .contains("chain size=2")
        );
        let mut p = tokenize(b"1 fetch ($!unordered=x a b)");
        assert!(expand_defaults(&mut p).unwrap_err().contains("Broken"));
    }
}

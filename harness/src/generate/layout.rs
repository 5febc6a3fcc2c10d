//! Where a run may work: one root mailbox of its own, `<namespace prefix>imapgate-<run id>`,
//! learned per server (Dovecot: no prefix, `/`; Cyrus and Courier: `INBOX.` and `.`), with
//! shared mailboxes and each session's mailboxes below it. Nothing outside is ever touched.

/// The run's mailbox tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub run_id: String,
    /// The hierarchy delimiter; `None` on a flat server (names are then joined with `-`).
    pub delimiter: Option<u8>,
    /// `<prefix>imapgate-<run id>`.
    pub root: Vec<u8>,
    /// Mailboxes every session works on together, created before the sessions start.
    pub shared: Vec<Vec<u8>>,
}

/// Joins names on a server without hierarchy.
const FLAT_JOIN: u8 = b'-';

impl Layout {
    /// `run_id` must be ASCII letters and digits (names stay valid modified UTF-7).
    pub fn new(prefix: &[u8], delimiter: Option<u8>, run_id: &str, shared: usize) -> Layout {
        let mut root = prefix.to_vec();
        root.extend_from_slice(b"imapgate-");
        root.extend_from_slice(run_id.as_bytes());
        let mut layout = Layout {
            run_id: run_id.to_owned(),
            delimiter,
            root,
            shared: Vec::new(),
        };
        layout.shared = (0..shared)
            .map(|i| layout.child(&layout.root, &format!("shared{i}")))
            .collect();
        layout
    }

    /// `parent` + delimiter + `name`.
    pub fn child(&self, parent: &[u8], name: &str) -> Vec<u8> {
        let mut out = parent.to_vec();
        out.push(self.delimiter.unwrap_or(FLAT_JOIN));
        out.extend_from_slice(name.as_bytes());
        out
    }

    /// Whether `mailbox` is the root or below it: the only names a run may select, change or
    /// delete.
    pub fn owns(&self, mailbox: &[u8]) -> bool {
        let join = self.delimiter.unwrap_or(FLAT_JOIN);
        mailbox == self.root.as_slice()
            || (mailbox.starts_with(&self.root) && mailbox.get(self.root.len()) == Some(&join))
    }

    /// How deep below the root a name is (for deleting children before parents).
    pub fn depth(&self, mailbox: &[u8]) -> usize {
        let join = self.delimiter.unwrap_or(FLAT_JOIN);
        mailbox.iter().filter(|&&b| b == join).count()
    }

    /// A LIST pattern matching the root and everything below it.
    pub fn pattern(&self) -> Vec<u8> {
        let mut p = self.root.clone();
        p.push(b'*');
        p
    }
}

/// A run id from the clock: base 36 of the milliseconds since 1970, short and unique enough
/// for runs that do not start in the same millisecond against the same account.
pub fn clock_run_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    base36(u64::try_from(ms).unwrap_or(u64::MAX))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrus_style_prefix_and_ownership() {
        let l = Layout::new(b"INBOX.", Some(b'.'), "abc", 2);
        assert_eq!(l.root, b"INBOX.imapgate-abc");
        assert_eq!(l.shared[1], b"INBOX.imapgate-abc.shared1");
        assert!(l.owns(b"INBOX.imapgate-abc"));
        assert!(l.owns(b"INBOX.imapgate-abc.s1-m2.c3"));
        assert!(!l.owns(b"INBOX.imapgate-abcd"));
        assert!(!l.owns(b"INBOX"));
        assert_eq!(l.pattern(), b"INBOX.imapgate-abc*");
    }

    #[test]
    fn flat_servers_join_with_a_dash() {
        let l = Layout::new(b"", None, "x1", 1);
        assert_eq!(l.shared[0], b"imapgate-x1-shared0");
        assert!(l.owns(b"imapgate-x1-shared0"));
        assert!(!l.owns(b"imapgate-x1x"));
    }

    #[test]
    fn run_ids_are_base36() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36 + 35), "10z");
    }
}

//! Short command names for events and messages ("UID FETCH"), without formatting the whole
//! command: an APPEND's message is never printed just to learn it is an APPEND.

use crate::wire::command::CommandBody;

/// The command's name as it appears on the wire, `UID` prefix included.
pub fn command_name(body: &CommandBody) -> &'static str {
    use CommandBody as C;
    match body {
        C::Capability => "CAPABILITY",
        C::Logout => "LOGOUT",
        C::Noop => "NOOP",
        C::StartTls => "STARTTLS",
        C::Authenticate { .. } => "AUTHENTICATE",
        C::Login { .. } => "LOGIN",
        C::Select(_) => "SELECT",
        C::Examine(_) => "EXAMINE",
        C::Create(_) => "CREATE",
        C::Delete(_) => "DELETE",
        C::Rename { .. } => "RENAME",
        C::Subscribe(_) => "SUBSCRIBE",
        C::Unsubscribe(_) => "UNSUBSCRIBE",
        C::List(_) => "LIST",
        C::Lsub { .. } => "LSUB",
        C::Status { .. } => "STATUS",
        C::Append(_) => "APPEND",
        C::Check => "CHECK",
        C::Close => "CLOSE",
        C::Expunge => "EXPUNGE",
        C::UidExpunge(_) => "UID EXPUNGE",
        C::Search(s) => uid(s.uid, "UID SEARCH", "SEARCH"),
        C::Fetch(f) => uid(f.uid, "UID FETCH", "FETCH"),
        C::Store(s) => uid(s.uid, "UID STORE", "STORE"),
        C::Copy { uid: u, .. } => uid(*u, "UID COPY", "COPY"),
        C::Move { uid: u, .. } => uid(*u, "UID MOVE", "MOVE"),
        C::Idle => "IDLE",
        C::Enable(_) => "ENABLE",
        C::Unselect => "UNSELECT",
        C::Namespace => "NAMESPACE",
        C::Id(_) => "ID",
        C::Sort(s) => uid(s.uid, "UID SORT", "SORT"),
        C::Thread(t) => uid(t.uid, "UID THREAD", "THREAD"),
        C::GetAcl(_) => "GETACL",
        C::MyRights(_) => "MYRIGHTS",
        C::GetQuota(_) => "GETQUOTA",
        C::GetQuotaRoot(_) => "GETQUOTAROOT",
        C::GetMetadata(_) => "GETMETADATA",
        C::Experimental(_) => "X-COMMAND",
    }
}

fn uid(is_uid: bool, with: &'static str, without: &'static str) -> &'static str {
    if is_uid { with } else { without }
}
